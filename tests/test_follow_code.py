"""One follow-code rule (pintu.follow_code) for complaints (ADU-) and pungli reports (PGL-)."""
from __future__ import annotations

import re

from billing_free.services import pungli
from permits.services import complaints
from pintu.follow_code import ALPHABET


def test_both_kinds_of_code_share_the_alphabet_the_shape_and_the_forgiving_hash():
    for module, prefix in ((complaints, "ADU"), (pungli, "PGL")):
        code = module.follow_code_new()
        assert re.fullmatch(rf"{prefix}(-[{ALPHABET}]{{4}}){{3}}", code)
        typed = " " + code.replace("-", "").lower()[:9] + " " + code.replace("-", "").lower()[9:]
        assert module.follow_code_hash(typed) == module.follow_code_hash(code)
    assert not set("01OIL") & set(ALPHABET)
    assert complaints.follow_code_hash("ADU-AAAA-BBBB-CCCC") != pungli.follow_code_hash("PGL-AAAA-BBBB-CCCC")
    assert pungli.follow_code_normalise("pglaaaabbbbcccc") == "PGL-AAAA-BBBB-CCCC"
