"""Write expected.json: the result of every workload at every size in
workloads.json, computed by the natively compiled (gcc) build of the same C
source, an oracle independent of every wasm engine. Called by build.sh with
the directory holding the native executables."""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    native_dir = Path(sys.argv[1])
    workloads = json.loads((HERE / "workloads.json").read_text())
    expected = {}
    for name, spec in workloads.items():
        sizes = sorted(set(spec["sizes"].values()))
        out = subprocess.run(
            [str(native_dir / name), *map(str, sizes)], check=True, capture_output=True, text=True
        ).stdout.split("\n")
        results = {}
        result_type = None
        for size, line in zip(sizes, out):
            result_type, value = line.split()
            results[str(size)] = int(value)
        expected[name] = {"type": result_type, "results": results}
        print(f"expected {name}: {result_type} {results}")
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()
