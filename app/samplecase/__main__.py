"""`python -m app.samplecase OUT_DIR [--seed N]`: write the sample case and print a summary."""

import argparse
import json
from collections import Counter
from pathlib import Path

from app.samplecase import generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.samplecase", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="folder to write; the case goes in OUT_DIR/evidence")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    m = generate(args.out_dir, args.seed)
    print(json.dumps({"case_id": m.case_id, "root": str(args.out_dir / m.root), "files": len(m.files),
                      "formats": dict(sorted(Counter(f.format for f in m.files).items())),
                      "known_items": len(m.known_items), "facts": len(m.facts)}, indent=2))


if __name__ == "__main__":
    main()
