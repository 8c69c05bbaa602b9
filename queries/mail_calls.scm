; Direct calls that may be PHP's builtin mail() or mb_send_mail().
;
; Only function_call_expression is matched, so method calls ($o->mail(),
; $o?->mail()), static calls (Foo::mail()), `new Mail()` and declarations
; never match. Strings, comments, heredocs and inline HTML hold no call
; nodes. The name may be plain (mail), fully qualified (\mail) or
; namespace-relative (namespace\mail); the Rust side decides which of these
; resolve to the builtin, looking at the file's namespaces and imports.
; `@mail(...)` is an error_suppression_expression around the same call.
(function_call_expression
  function: [(name) (qualified_name) (relative_name)] @name
  arguments: (arguments) @arguments
  (#match? @name "(?i)(^|\\\\)(mail|mb_send_mail)$")) @call
