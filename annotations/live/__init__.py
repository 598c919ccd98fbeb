"""Live updates: every recorded change is announced to the pages open on its article over WebSocket.

`broadcast` turns an audit event into a small hint ("article 4 changed: claim 12 deleted") and
sends it through the channel layer once the change is committed; `consumers` holds the socket of
one open reading view, checked against the team like any API read; `routing` maps the URL. A
page that gets a hint asks for the data with its usual conditional GETs, so what it may see is
decided where it always was.
"""
