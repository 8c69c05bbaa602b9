; Places where mail() may be called in a way that cannot be read statically.
; The Rust side keeps a match only when the string's value is mail,
; \mail or mb_send_mail (any case).

; call_user_func('mail', ...) and call_user_func_array('mail', $args).
; The Rust side reads the first argument: an anchor (`.`) here would miss
; `call_user_func(/* why */ 'mail', ...)`, comments being named nodes.
(function_call_expression
  function: [(name) (qualified_name)] @callback_fn
  arguments: (arguments) @callback_arguments
  (#match? @callback_fn "(?i)(^|\\\\)call_user_func(_array)?$"))

; $f = 'mail';  (reported only when $f is also called as $f(...))
(assignment_expression
  left: (variable_name) @assigned_var
  right: [(string) (encapsed_string)] @assigned_name)

; $f(...)
(function_call_expression
  function: (variable_name) @called_var)
