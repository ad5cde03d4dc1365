"""FastAPI's tutorial requests, with the status and body FastAPI documents, against the Spindle port.

Usage: python3 fastapi_tutorial.py http://127.0.0.1:PORT   (exit 0 when every answer matches)
"""
import sys

import httpx

BASE = sys.argv[1]

INT_ERR = "Input should be a valid integer, unable to parse string as an integer"

CASES = [
    # first steps
    ("GET", "/", {}, 200, {"message": "Hello World"}),
    # path parameters
    ("GET", "/path/items/3", {}, 200, {"item_id": 3}),
    ("GET", "/path/items/foo", {}, 422, {"detail": [{"type": "int_parsing", "loc": ["path", "item_id"],
                                                     "msg": INT_ERR, "input": "foo"}]}),
    ("GET", "/path/items/4.2", {}, 422, {"detail": [{"type": "int_parsing", "loc": ["path", "item_id"],
                                                     "msg": INT_ERR, "input": "4.2"}]}),
    ("GET", "/path/users/me", {}, 200, {"user_id": "the current user"}),
    ("GET", "/path/users/42", {}, 200, {"user_id": "42"}),
    ("GET", "/path/models/alexnet", {}, 200, {"model_name": "alexnet", "message": "Deep Learning FTW!"}),
    ("GET", "/path/models/lenet", {}, 200, {"model_name": "lenet", "message": "LeCNN all the images"}),
    ("GET", "/path/models/foo", {}, 422, {"detail": [{"type": "enum", "loc": ["path", "model_name"],
                                                      "msg": "Input should be 'alexnet', 'resnet' or 'lenet'",
                                                      "input": "foo",
                                                      "ctx": {"expected": "'alexnet', 'resnet' or 'lenet'"}}]}),
    ("GET", "/path/files/home/johndoe/myfile.txt", {}, 200, {"file_path": "home/johndoe/myfile.txt"}),
    # query parameters
    ("GET", "/query/items/", {}, 200, [{"item_name": "Foo"}, {"item_name": "Bar"}, {"item_name": "Baz"}]),
    ("GET", "/query/items/?skip=1&limit=1", {}, 200, [{"item_name": "Bar"}]),
    ("GET", "/query/items/?skip=20", {}, 200, []),
    ("GET", "/query/items/foo-item", {}, 422, {"detail": [{"type": "missing", "loc": ["query", "needy"],
                                                           "msg": "Field required", "input": None}]}),
    ("GET", "/query/items/foo?needy=sooooneedy&short=1", {}, 200, {"item_id": "foo", "needy": "sooooneedy"}),
    ("GET", "/query/items/foo?needy=x&short=True&q=z", {}, 200, {"item_id": "foo", "needy": "x", "q": "z"}),
    ("GET", "/query/items/foo?needy=x&short=on", {}, 200, {"item_id": "foo", "needy": "x"}),
    ("GET", "/query/items/foo?needy=x", {}, 200,
     {"item_id": "foo", "needy": "x", "description": "This is an amazing item that has a long description"}),
    # request body
    ("POST", "/body/items/", {"json": {"name": "Foo", "price": 45.2}}, 200,
     {"name": "Foo", "description": None, "price": 45.2, "tax": None}),
    ("POST", "/body/items/", {"json": {"name": "Foo", "description": "An optional description", "price": 45.2,
                                       "tax": 3.5}}, 200,
     {"name": "Foo", "description": "An optional description", "price": 45.2, "tax": 3.5}),
    ("POST", "/body/items/", {"json": {"name": "Foo"}}, 422,
     {"detail": [{"type": "missing", "loc": ["body", "price"], "msg": "Field required", "input": {"name": "Foo"}}]}),
    ("POST", "/body/items/", {"json": {"name": "Foo", "price": "forty"}}, 422,
     {"detail": [{"type": "float_parsing", "loc": ["body", "price"],
                  "msg": "Input should be a valid number, unable to parse string as a number", "input": "forty"}]}),
    ("PUT", "/body/items/5?q=x", {"json": {"name": "Foo", "price": 1}}, 200,
     {"item_id": 5, "name": "Foo", "description": None, "price": 1.0, "tax": None, "q": "x"}),
    # query validation
    ("GET", "/validation/items/?q=fixedquery", {}, 200,
     {"items": [{"item_id": "Foo"}, {"item_id": "Bar"}], "q": "fixedquery"}),
    ("GET", "/validation/items/?q=ab", {}, 422,
     {"detail": [{"type": "string_too_short", "loc": ["query", "q"],
                  "msg": "String should have at least 3 characters", "input": "ab", "ctx": {"min_length": 3}}]}),
    # dependencies
    ("GET", "/depends/items/?q=foo&skip=1&limit=1", {}, 200, {"q": "foo", "items": [{"item_name": "Bar"}]}),
    # handling errors
    ("GET", "/errors/items/foo", {}, 200, {"item": "The Foo Wrestlers"}),
    ("GET", "/errors/items/bar", {}, 404, {"detail": "Item not found"}),
    # response model
    ("POST", "/response/user/", {"json": {"username": "john", "password": "secret", "email": "john@example.com"}},
     200, {"username": "john", "email": "john@example.com", "full_name": None}),
    # security, first steps
    ("GET", "/security/items/", {}, 401, {"detail": "Not authenticated"}),
    ("GET", "/security/items/", {"headers": {"Authorization": "Bearer abc"}}, 200, {"token": "abc"}),
    # not found
    ("GET", "/nowhere", {}, 404, {"detail": "Not Found"}),
]

failures = 0
with httpx.Client(base_url=BASE, timeout=30) as client:
    for method, path, kwargs, status, body in CASES:
        r = client.request(method, path, **kwargs)
        try:
            got = r.json()
        except ValueError:
            got = r.text
        if r.status_code != status or got != body:
            failures += 1
            print(f"MISMATCH {method} {path}: expected {status} {body!r}, got {r.status_code} {got!r}")
    r = client.get("/security/items/")
    if r.headers.get("www-authenticate") != "Bearer":
        failures += 1
        print("MISMATCH WWW-Authenticate:", r.headers.get("www-authenticate"))
print(f"{len(CASES) - failures}/{len(CASES)} FastAPI tutorial answers matched")
sys.exit(1 if failures else 0)
