"""Values from specs and tenants made inert: in a terminal or log line, and in Markdown.

The bottom of the package: the words the review writes and every renderer escape
through these two modules, and they import nothing from the rest of it.
"""
