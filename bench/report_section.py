"""One section of docs/benchmarks.md, replaced in place by the bench that writes it: a section
runs from its heading to the next `## ` heading, and the other benches' sections stay as they are."""
import re


def write_section(out, heading, text):
    current = out.read_text() if out.exists() else ""
    pattern = re.compile(re.escape(heading) + r".*?(?=\n## |\Z)", re.S)
    updated = pattern.sub(lambda _: text.rstrip("\n"), current) if heading in current else current.rstrip("\n") + "\n\n" + text
    out.write_text(updated.rstrip("\n") + "\n")
