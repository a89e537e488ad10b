"""`python -m shared.contract.schema_export`: write the JSON Schema of every event to
`shared/contract/schemas/`, where a test compares them, so a contract change shows in review."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shared.contract.events import REGISTRY, CloudEvent, DeadLetter

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schemas() -> dict[str, dict[str, Any]]:
    out = {
        et.type: CloudEvent[et.data].model_json_schema(by_alias=True)  # type: ignore[name-defined]
        for et in REGISTRY.values()
    }
    out["th.go.siang.dead_letter.v1"] = DeadLetter.model_json_schema(by_alias=True)
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, schema in schemas().items():
        (SCHEMA_DIR / f"{name}.json").write_text(render(schema), encoding="utf-8")
    print(f"wrote {len(schemas())} schemas to {SCHEMA_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
