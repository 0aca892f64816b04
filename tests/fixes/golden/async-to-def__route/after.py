import subprocess

from fastapi import Depends, FastAPI

app = FastAPI()


def settings() -> dict:
    with open("settings.json") as handle:
        return {"raw": handle.name}


@app.post("/backup")
def backup(config: dict = Depends(settings)):
    subprocess.run(["pg_dump", "shop"], check=True)
    return {"started": True}
