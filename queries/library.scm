; PHPMailer and WordPress: the facts behind the library-level rules
; (src/library.rs). Run only on files that mention phpmailer (see the
; prefilter), over the whole tree: these facts are few and far apart.

; class PHPMailer { ... }, any case, any namespace.
(class_declaration
  name: (name) @class_name
  body: (declaration_list) @class_body
  (#match? @class_name "(?i)^phpmailer$"))

; $mail->setFrom($address, $name, false) leaves Sender empty;
; $mail->isSMTP() sends through SMTP, where From is the envelope sender.
(member_call_expression
  name: (name) @method
  (#match? @method "(?i)^(setfrom|issmtp)$")) @method_call

(nullsafe_member_call_expression
  name: (name) @method
  (#match? @method "(?i)^(setfrom|issmtp)$")) @method_call

; $mail->Sender = ..., $mail->Mailer = ..., $mail->From = ...
; (property names are case-sensitive in PHP).
(assignment_expression
  left: (member_access_expression
    name: (name) @property
    (#match? @property "^(Sender|Mailer|From)$"))) @property_assignment

; add_action('phpmailer_init', $callback), add_filter(...).
(function_call_expression
  function: [(name) (qualified_name)] @hook_function
  arguments: (arguments) @hook_arguments
  (#match? @hook_function "(?i)(^|\\\\)add_(action|filter)$"))

; function wp_mail(...) { ... }: WordPress's pluggable mail function.
(function_definition
  name: (name) @wp_mail_name
  (#match? @wp_mail_name "(?i)^wp_mail$")) @wp_mail
