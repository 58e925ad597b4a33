"""A stand-in for a LAN model server: a real HTTP process speaking the OpenAI chat API.

Run: ``python -m tests.server.assistant.fake_llm PORT LOG``. ``POST /v1/chat/completions``
appends the request body to LOG (one JSON per line) and answers with a fixed phrasing
that cites passage [1] and repeats the question, as llama.cpp's server would shape it.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = "Theo tài liệu [1], câu trả lời cho câu hỏi «{question}» nằm ở đoạn trích đã nêu."


class Handler(BaseHTTPRequestHandler):
    log_path = ""

    def do_POST(self) -> None:  # the stdlib's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        request = json.loads(body)
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(request, ensure_ascii=False) + "\n")
        question = request["messages"][-1]["content"].rsplit("Câu hỏi: ", 1)[-1]
        reply = {"id": "chatcmpl-test", "object": "chat.completion", "model": request["model"],
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant",
                                          "content": ANSWER.format(question=question)}}]}
        data = json.dumps(reply, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    port, Handler.log_path = int(sys.argv[1]), sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
