"""The outside oracle of `deno task fidelity`: Debian's python3-jsonschema.

Reads JSONL from stdin, one schema a line:
  {"sid": N, "mode": "declared"|"jsb", "draft": "draft4"|…|null,
   "schema": …, "instances": [ JSON text, … ]}
and writes one line per input line:
  {"sid": N, "results": [true|false|null, …], "schema_error": str|null,
   "errors": [str|null, …], "why": [[keyword, …], …]}
("why": the keywords of the top-level errors of an invalid instance).

declared: the schema's own draft (the given draft, else jsonschema's
validator_for, 2020-12 when none is declared), check_schema first (a
schema that fails it is not judged), the formats listed in FORMATS.
jsb: a rendering of JSONSchemaBench's harness (core/evaluator.py,
validate_json_schema, jsonschema 4.23) as issue 16 lists it: 2020-12 rules
for every schema, check_schema first, any exception a failure, and its
format checker (see JSB_FORMATS). It is a rendering on 4.10, not the
harness itself: 4.10 does not switch dialect at a nested $schema (4.18 does).

argv[1]: a JSON file mapping remote URIs to documents (never fetched).
"""

import json
import sys
from importlib.metadata import version

import jsonschema
from jsonschema import FormatChecker, validators
from jsonschema import _format

# The formats python-jsonschema 4.10 checks with its own code, and those it
# checks through a package when that package is installed. Registered
# explicitly, by name, so that what is checked never depends on what
# happens to be importable beyond this list.
OWN = ["date", "email", "idn-email", "ipv4", "ipv6", "regex", "uuid"]
PACKAGED = {
    "idn-hostname": "idna",
    "iri": "rfc3987",
    "iri-reference": "rfc3987",
    "uri": "rfc3987",
    "uri-reference": "rfc3987",
    "json-pointer": "jsonpointer",
    "relative-json-pointer": "jsonpointer",
}
# 4.10 has no checker of its own for these (they need packages Debian 12
# does not ship with it): not independently checked.
NOT_CHECKED = ["date-time", "time", "hostname", "duration", "uri-template"]

DRAFTS = {
    "draft4": validators.Draft4Validator,
    "draft6": validators.Draft6Validator,
    "draft7": validators.Draft7Validator,
    "draft2019-09": validators.Draft201909Validator,
    "draft2020-12": validators.Draft202012Validator,
}


def declared_checker():
    checker = FormatChecker(formats=())
    checked = []
    for name in OWN + list(PACKAGED):
        entry = FormatChecker.checkers.get(name)
        if name == "time" or entry is None:
            continue
        func, raises = entry
        checker.checks(name, raises=raises)(func)
        checked.append(name)
    return checker, checked


def jsb_checker():
    checker = FormatChecker(formats=())
    for name in ["date", "email", "idn-email", "idn-hostname", "regex"]:
        entry = FormatChecker.checkers.get(name)
        if entry is not None:
            checker.checks(name, raises=entry[1])(entry[0])
    # FormatChecker() holds the draft-3 time checker under "time".
    checker.checks("time", raises=ValueError)(_format.is_draft3_time)

    # The harness's own ipv4/ipv6/uuid checkers return None for a string:
    # jsonschema reads that as a failure.
    def none(instance):
        if not isinstance(instance, str):
            return True
        return None

    for name in ["ipv4", "ipv6", "uuid"]:
        checker.checks(name, raises=(ValueError,))(none)
    return checker


def main():
    store = {}
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            store = json.load(f)
    declared, checked = declared_checker()
    jsb = jsb_checker()
    first = True
    for line in sys.stdin:
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("hello"):
            missing = [n for n in OWN + list(PACKAGED) if n not in checked]
            print(json.dumps({
                "version": version("jsonschema"),
                "checked": checked,
                "not_checked": NOT_CHECKED + missing,
            }), flush=True)
            continue
        schema = item["schema"]
        mode = item["mode"]
        if mode == "jsb":
            cls = validators.Draft202012Validator
        elif item.get("draft"):
            cls = DRAFTS[item["draft"]]
        else:
            cls = validators.validator_for(
                schema, default=validators.Draft202012Validator)
        answer = {"sid": item["sid"], "results": [], "errors": [],
                  "why": [], "schema_error": None}
        try:
            cls.check_schema(schema)
            resolver = validators.RefResolver.from_schema(
                schema, store=store, id_of=cls.ID_OF)
            validator = cls(schema, resolver=resolver,
                            format_checker=jsb if mode == "jsb" else declared)
        except Exception as error:  # noqa: BLE001 - any failure is an answer
            answer["schema_error"] = f"{type(error).__name__}: {error}"[:300]
            validator = None
        for text in item["instances"]:
            why = []
            if validator is None:
                answer["results"].append(False if mode == "jsb" else None)
                answer["errors"].append(None)
                answer["why"].append(why)
                continue
            try:
                errors = list(validator.iter_errors(json.loads(text)))
                why = sorted({str(e.validator) for e in errors})
                answer["results"].append(not errors)
                answer["errors"].append(None)
            except Exception as error:  # noqa: BLE001
                answer["results"].append(False if mode == "jsb" else None)
                answer["errors"].append(f"{type(error).__name__}: {error}"[:300])
            answer["why"].append(why)
        print(json.dumps(answer), flush=first)
        first = False
    sys.stdout.flush()


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
