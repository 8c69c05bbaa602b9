; Direct calls that may be PHP's builtin mail() or mb_send_mail().
;
; Only function_call_expression is matched, so method calls ($o->mail(),
; $o?->mail()), static calls (Foo::mail()), `new Mail()` and declarations
; never match. Strings, comments, heredocs and inline HTML hold no call
; nodes. The name may be plain (mail), fully qualified (\mail) or
; namespace-relative (namespace\mail). Every named call is captured, not
; only `mail`: `use function mail as send;` makes send() the builtin. The
; Rust side resolves each name against the file's namespaces and imports;
; only files that pass the byte prefilter get here, so this stays cheap.
; `@mail(...)` is an error_suppression_expression around the same call.
(function_call_expression
  function: [(name) (qualified_name) (relative_name)] @name
  arguments: (arguments) @arguments) @call
