"""Validates SARIF logs against the SARIF 2.1.0 JSON schema.

    python3 scripts/validate_sarif.py SCHEMA LOG...

Prints each violation as `LOG: json/path: message` and exits with 1 when
there is one. Formats (`uri`, `uri-reference`, ...) are checked too, which
needs jsonschema's `format-nongpl` extra; scripts/test.sh installs both
under target/tools/jsonschema (see tests/formats.rs).
"""

import json
import sys

import jsonschema


def main(schema_path, log_paths):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    failed = False
    for log_path in log_paths:
        with open(log_path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            failed = True
            where = "/".join(map(str, error.absolute_path)) or "(root)"
            print(f"{log_path}: {where}: {error.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
