"""Matching claims to claims already checked, in any language."""
