"""Blob endpoints answer in headers (``Blob-Status``, ``Blob-Offset``); the body
of a PUT repeats them for humans and logs."""

from marshmallow import Schema, fields


class BlobStateSchema(Schema):
    sha256 = fields.String()
    status = fields.String(metadata={"description": "complete 或 partial"})
    offset = fields.Integer(metadata={"description": "服务器已持有的字节数"})


BLOB_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "文件的第 START…END 字节（Content-Range: bytes START-END/TOTAL）",
        "content": {"application/octet-stream": {"schema": {"type": "string",
                                                            "format": "binary"}}},
    }
}
