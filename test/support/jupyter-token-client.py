"""A Jupyter client that authenticates the way JupyterHub's users' clients do: `?token=` on REST calls
and on the kernel's WebSocket (browsers cannot set headers on a WebSocket, so JupyterLab's services
put the token there). Messages are built by jupyter_client's own Session (Debian's
python3-jupyter-client), the WebSocket is tornado's client, as Jupyter's own code uses.

  python3 jupyter-token-client.py PORT HOST BASE TOKEN
connects to 127.0.0.1:PORT with `Host: HOST` (a `*.localhost` workspace origin), starts a kernel under
BASE (`/user/<user>/<workspace>/`), runs print(6*7) on it, deletes it, and prints one JSON line:
{"created": 201, "reply": "ok", "output": "42\\n", "deleted": 204}.
"""
import asyncio
import json
import sys
import urllib.parse
import urllib.request

from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session
from tornado import httpclient, websocket

PORT, HOST, BASE, TOKEN = sys.argv[1:5]


def url(scheme: str, path: str) -> str:
    return f"{scheme}://127.0.0.1:{PORT}{BASE}{path}?{urllib.parse.urlencode({'token': TOKEN})}"


def rest(method: str, path: str, body: bytes | None = None) -> tuple[int, object]:
    req = urllib.request.Request(url("http", path), method=method, data=body,
                                 headers={"Host": HOST, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        raw = r.read()
        return r.status, json.loads(raw) if raw else None


async def execute(kernel_id: str) -> tuple[str, str]:
    """Runs print(6*7): the reply's status, and the kernel's stdout up to its going idle."""
    req = httpclient.HTTPRequest(url("ws", f"api/kernels/{kernel_id}/channels"), headers={"Host": HOST})
    ws = await websocket.websocket_connect(req)
    msg = Session(username="hubdeck-test").msg("execute_request", content={
        "code": "print(6*7)", "silent": False, "store_history": False,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    msg["channel"] = "shell"
    await ws.write_message(json.dumps(msg, default=json_default))
    mine = msg["header"]["msg_id"]
    output, reply, idle = "", None, False
    while reply is None or not idle:
        raw = await asyncio.wait_for(ws.read_message(), 60)
        if raw is None:
            raise SystemExit("the kernel's WebSocket closed")
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != mine:
            continue
        if m["msg_type"] == "stream" and m["content"].get("name") == "stdout":
            output += m["content"]["text"]
        elif m["msg_type"] == "execute_reply":
            reply = m["content"]["status"]
        elif m["msg_type"] == "status" and m["content"].get("execution_state") == "idle":
            idle = True
    ws.close()
    return reply, output


created, kernel = rest("POST", "api/kernels", b"{}")
reply, output = asyncio.run(execute(kernel["id"]))
deleted, _ = rest("DELETE", f"api/kernels/{kernel['id']}")
print(json.dumps({"created": created, "reply": reply, "output": output, "deleted": deleted}))
