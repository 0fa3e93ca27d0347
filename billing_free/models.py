"""Zero-fee guarantee, usage meters and the confidential illegal-fee channel (see issue #7)."""
