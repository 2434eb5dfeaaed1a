"""Read a FollowTheMoney export back through followthemoney's model, strictly, and say what is wrong
with it: `validate_ftm(path)` returns the problems, none when the file is valid.

Every line must be a JSON object with an `id` unique in the file, a `schema` FtM knows that is not
abstract, and `properties` mapping names the schema has (and that may be written: no reverse
property) to lists of strings, each valid for the property's type as FtM's own cleaning parses it
(`Property.validate`; the entity also loads through `model.get_proxy(..., cleaned=False)`), the
schema's required properties present, and every entity reference naming an entity of the file
whose schema is in the property's range. Two passes over the file (ids and schemata first), so
memory holds the ids only, not the entities.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from followthemoney import model, registry
from followthemoney.exc import InvalidData

MAX_PROBLEMS = 1000


def validate_ftm(path: str | Path) -> list[str]:
    """The export's problems, each naming its line and entity; [] when every line is valid."""
    schemata: dict[str, str] = {}
    problems: list[str] = []
    for n, data in _entities(Path(path), problems):
        if data["id"] in schemata:
            problems.append(f"line {n}: id {data['id']!r} is used twice")
        schemata[data["id"]] = str(data.get("schema"))
    for n, data in _entities(Path(path), []):
        problems.extend(f"line {n} ({data['id']}): {p}" for p in entity_problems(data, schemata))
        if len(problems) >= MAX_PROBLEMS:
            return problems[:MAX_PROBLEMS] + [f"stopped after {MAX_PROBLEMS} problems"]
    return problems


def entity_problems(data: dict, schemata: dict[str, str]) -> list[str]:
    """What is wrong with one entity; `schemata`: every entity id of the file and its schema."""
    schema = model.get(str(data.get("schema")))
    if schema is None:
        return [f"unknown schema {data.get('schema')!r}"]
    if schema.abstract:
        return [f"schema {schema.name} is abstract"]
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        return ["properties is not an object"]
    problems = [f"{schema.name} needs {name}" for name in sorted(schema.required) if not properties.get(name)]
    for name, values in properties.items():
        problems.extend(f"{name}: {p}" for p in _property_problems(schema.name, name, values, schemata))
    try:
        model.get_proxy(data, cleaned=False)
    except (InvalidData, TypeError, ValueError) as e:
        problems.append(f"followthemoney refuses it: {e}")
    return problems


def _property_problems(schema_name: str, name: str, values: object, schemata: dict[str, str]) -> Iterator[str]:
    prop = model.get(schema_name).properties.get(name)
    if prop is None:
        yield f"{schema_name} has no such property"
    elif prop.stub:
        yield "a reverse property, which cannot be written"
    elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        yield "values must be a list of strings"
    elif prop.type == registry.entity:
        for value in values:
            target = model.get(schemata.get(value, ""))
            if value not in schemata:
                yield f"{value!r} is no entity of the file"
            elif target is not None and prop.range is not None and not target.is_a(prop.range):
                yield f"{value!r} is a {target.name}, not a {prop.range.name}"
    else:
        yield from (f"invalid {prop.type.name} {v!r}" for v in values if not prop.type.validate(v, format=prop.format))


def _entities(path: Path, problems: list[str]) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every line that is a JSON object with a string id; what is not
    goes to `problems`."""
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"line {n}: not JSON ({e.msg})")
                continue
            if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
                problems.append(f"line {n}: not an entity (an object with an id)")
                continue
            yield n, data
