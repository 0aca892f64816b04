import subprocess


async def build(target: str, *extra: str) -> int:
    result = subprocess.run(["make", target, *extra], check=True, capture_output=True)
    return result.returncode


async def read_config(path):
    with open(path, encoding="utf-8") as handle:
        return handle.name
