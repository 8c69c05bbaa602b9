; What decides whether an unqualified mail() in a namespaced file is PHP's
; builtin: the namespace blocks, the namespace's own function declarations
; and `use function` imports. The Rust side resolves each call against them.

; namespace Foo;  and  namespace Foo { ... }
(namespace_definition) @namespace

; function mail() { ... } declared in a namespace
(function_definition
  name: (name) @function_name
  (#match? @function_name "(?i)^(mail|mb_send_mail)$"))

; use function Some\Ns\mail;  use function Some\Ns\{mail, other};
; use Some\Ns\{function mail};
(namespace_use_declaration) @use
