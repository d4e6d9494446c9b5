"""The API's parser (it takes JSON only: settings.REST_FRAMEWORK): limits checked before a byte
is parsed (docs/security.md 26), and the characters nobody sees taken out of what was parsed
(prosecution/lib/input_guard.py).

Python's json module recurses once per level of nesting: a body of 50,000 "[" (100 kB, no sign-in
needed) raised RecursionError and answered 500 (issue 14). So the depth is measured first, by a
scan that does not recurse (strings are taken out, the brackets left are summed as +1 and -1 in C),
and a body nested deeper than any request of this API could be is refused with 400 in the error
shape. The size is Django's DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads the body through
HttpRequest.body, which refuses a larger one (prosecution/api/errors.py answers it with 413)."""

import io
import re
from itertools import accumulate

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from prosecution.lib.input_guard import cleaned_data

# The deepest request of the API is an appeal with its applicants (3 levels); 32 leaves room for
# any client's envelope and none for an attack.
MAX_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
# Opening brackets become 1 and closing ones -1 (as signed bytes), so the running sum is the depth.
_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def depth(raw: bytes) -> int:
    """How deep `raw`'s arrays and objects nest (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS).translate(_SIGNS)
    return max(accumulate(memoryview(brackets).cast("b")), default=0)


class JSONParser(parsers.JSONParser):
    """JSON of bounded depth, its strings without invisible characters (prosecution/lib/text.py)."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if depth(raw) > MAX_DEPTH:
            raise ParseError(
                _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
            )
        return cleaned_data(super().parse(io.BytesIO(raw), media_type, parser_context))
