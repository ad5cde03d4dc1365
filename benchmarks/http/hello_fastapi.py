"""The plaintext and JSON endpoints on FastAPI + uvicorn, for the side-by-side run."""
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/plaintext", response_class=PlainTextResponse)
def plaintext():
    return "Hello, World!"


@app.get("/json")
def json():
    return {"message": "Hello, World!"}
