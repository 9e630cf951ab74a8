"""Random but valid HCL2 native-syntax files for the differential test.

generate_file(rng) returns the text of one configuration file that uses
every construct of the native syntax: blocks with quoted and bare labels,
attributes, comments of all three kinds, numbers, strings with every
escape, templates with interpolations, directives and strip markers,
heredocs of both kinds with indented closing markers, tuples, objects with
'=' and ':' and commas or line breaks, parenthesised keys, function calls
with '...', traversals with splats, legacy indexes and spaces before '.',
for expressions, conditionals and operators.  A fixed seed gives the same
files on every run.

The generator stays inside what both parsers can render: a block type
always has the same number of labels in one file, attribute names and
block types never collide, and no name is a keyword.
"""

ATTRIBUTE_NAMES = ["name", "policy", "arn", "bucket_arn", "role-name", "count_x", "Statement",
                   "value", "_hidden", "description", "tags", "queue", "k8s_ns", "déjà"]
BLOCK_TYPES = ["resource", "data", "module", "locals", "statement", "principals", "condition",
               "dynamic", "lifecycle", "variable"]
ROOTS = ["var", "local", "module", "data", "each", "count", "path", "aws_iam_role",
         "aws_s3_bucket", "x", "item"]
ATTRS = ["arn", "name", "id", "bucket_arn", "json", "key", "value", "index", "module",
         "role_arn", "irsa_policy_arn", "b-c"]
FUNCTIONS = ["jsonencode", "merge", "concat", "lookup", "lower", "upper", "format", "join",
             "split", "replace", "coalesce", "toset", "element", "length", "try", "file",
             "templatefile", "flatten"]
TEXT = ["arn:aws:s3:::", "bucket", "/*", "s3:GetObject", " ", "-", "é", "😀", ":", "{", "}",
        "$", "%", "a b", "Allow", "system:serviceaccount:", "x", "<>&", "'", "~"]
ESCAPES = ["\\n", "\\r", "\\t", "\\\"", "\\\\", "\\u00e9", "\\U0001F600", "$${", "%%{"]
MARKERS = ["EOF", "EOT", "POLICY", "JSON"]


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.depth = 0

    def pick(self, items):
        return self.rng.choice(items)

    def chance(self, p):
        return self.rng.random() < p

    # Numbers and literal text -------------------------------------------

    def number(self):
        kind = self.rng.randrange(5)
        if kind == 0:
            return str(self.rng.randrange(0, 100))
        if kind == 1:
            return "%d.%d" % (self.rng.randrange(0, 1000), self.rng.randrange(0, 100))
        if kind == 2:
            return "%de%s%d" % (self.rng.randrange(1, 10), self.pick(["", "+", "-"]),
                                self.rng.randrange(0, 5))
        if kind == 3:
            return "%d.%dE%d" % (self.rng.randrange(1, 10), self.rng.randrange(0, 10),
                                 self.rng.randrange(0, 3))
        return str(self.rng.randrange(100000, 10 ** 12))

    def literal_text(self, quoted):
        out = []
        for _ in range(self.rng.randrange(0, 4)):
            if quoted and self.chance(0.3):
                out.append(self.pick(ESCAPES))
            elif not quoted and self.chance(0.1):
                out.append(self.pick(["$${", "%%{"]))
            else:
                out.append(self.pick(TEXT))
        text = "".join(out)
        # A lone '$' or '%' before '{' would open a sequence.
        text = text.replace("${", "$ {").replace("%{", "% {")
        if text.endswith("$") or text.endswith("%"):
            text += "."
        if not quoted:
            text = text.replace("\\", "/")
        return text

    # Templates -------------------------------------------------------------

    def strip(self):
        return "~" if self.chance(0.2) else ""

    def template_body(self, quoted, budget):
        out = []
        for _ in range(budget):
            choice = self.rng.randrange(10)
            if choice < 5 or self.depth > 4:
                out.append(self.literal_text(quoted))
            elif choice < 8:
                out.append("${%s%s%s%s}" % (self.strip(), self.pick(["", " "]),
                                            self.interpolated(), self.strip()))
            elif choice == 8:
                self.depth += 1
                body = "%%{%s if %s %s}%s" % (self.strip(), self.expr(inline=True), self.strip(),
                                              self.template_body(quoted, 2))
                if self.chance(0.5):
                    body += "%%{%s else %s}%s" % (self.strip(), self.strip(),
                                                  self.template_body(quoted, 2))
                body += "%%{%s endif %s}" % (self.strip(), self.strip())
                self.depth -= 1
                out.append(body)
            else:
                self.depth += 1
                names = self.pick(["v", "k, v", "i, item"])
                out.append("%%{%s for %s in %s %s}%s%%{%s endfor %s}" % (
                    self.strip(), names, self.expr(inline=True), self.strip(),
                    self.template_body(quoted, 2), self.strip(), self.strip()))
                self.depth -= 1
        return "".join(out)

    def interpolated(self):
        # hcl2json drops a whole %{ if } whose body is only ${null} (it
        # fails to convert null to a string and discards the directive),
        # so a bare null is not interpolated.
        text = self.expr(inline=True)
        return "var.x" if text == "null" else text

    def quoted(self):
        return '"%s"' % self.template_body(True, self.rng.randrange(0, 4))

    def heredoc(self):
        marker = self.pick(MARKERS)
        flush = self.chance(0.5)
        indent = " " * self.rng.randrange(0, 6)
        lines = []
        for _ in range(self.rng.randrange(0, 5)):
            if self.chance(0.15):
                lines.append("")
                continue
            pad = indent + " " * self.rng.randrange(0, 4)
            if self.chance(0.1):
                pad = "\t" + pad
            body = self.template_body(False, self.rng.randrange(1, 3))
            if body.strip() == marker:
                body += "."
            lines.append(pad + body)
        close_indent = indent if self.chance(0.6) else ""
        text = "<<%s%s\n" % ("-" if flush else "", marker)
        for line in lines:
            text += line + "\n"
        return text + close_indent + marker + "\n"

    # Expressions -----------------------------------------------------------

    def name(self, items):
        return self.pick(items)

    def traversal(self):
        # HCL rejects '.*' inside another '.*' splat and chained legacy
        # indexes such as '.0.1', so neither is generated.
        out = self.pick(ROOTS)
        in_attr_splat = False
        after_legacy = False
        for _ in range(self.rng.randrange(0, 4)):
            kind = self.rng.randrange(9)
            if (kind == 6 and in_attr_splat) or (kind == 5 and after_legacy):
                kind = 0
            in_attr_splat = kind == 6 or (in_attr_splat and kind in (0, 1, 2, 3, 5, 8))
            after_legacy = kind == 5
            space = "  " if self.chance(0.1) else ""
            if kind < 4:
                out += space + "." + self.pick(ATTRS)
            elif kind == 4:
                out += "[%s]" % self.pick(["0", "1", '"key"', "each.key", "count.index"])
            elif kind == 5:
                out += ".%d" % self.rng.randrange(0, 3)
            elif kind == 6:
                out += ".*"
            elif kind == 7:
                out += "[*]"
            else:
                out += space + "." + self.pick(ATTRS)
        return out

    def call(self, inline):
        args = [self.expr(inline) for _ in range(self.rng.randrange(0, 4))]
        text = self.pick(FUNCTIONS) + "(" + ", ".join(args)
        if args and self.chance(0.2):
            text += "..."
        elif args and self.chance(0.2):
            text += ","
        return text + ")"

    def tuple_expr(self, inline):
        items = []
        for _ in range(self.rng.randrange(0, 4)):
            if not inline and self.chance(0.1):
                items.append("\n" + self.heredoc())
            else:
                items.append(self.expr(inline))
        if not inline and self.chance(0.4):
            body = ",\n  ".join(items)
            return "[\n  " + body + (",\n" if items and self.chance(0.5) else "\n") + "]"
        return "[" + ", ".join(items) + ("," if items and self.chance(0.3) else "") + "]"

    def object_key(self):
        kind = self.rng.randrange(6)
        if kind < 3:
            return self.pick(ATTRIBUTE_NAMES)
        if kind == 3:
            return '"%s"' % self.literal_text(True)
        if kind == 4:
            return "(%s)" % self.traversal()
        return self.quoted()

    def object_expr(self, inline):
        items = []
        for _ in range(self.rng.randrange(0, 4)):
            items.append("%s %s %s" % (self.object_key(), self.pick(["=", ":"]), self.expr(inline)))
        if not inline and self.chance(0.5):
            lines = ["  " + item + ("," if self.chance(0.4) else "") for item in items]
            return "{\n" + "\n".join(lines) + ("\n" if lines else "") + "}"
        return "{" + ", ".join(items) + ("," if items and self.chance(0.3) else "") + "}"

    def for_expr(self):
        names = self.pick(["v", "k, v", "i, s"])
        cond = " if %s" % self.expr(True) if self.chance(0.3) else ""
        if self.chance(0.5):
            return "[for %s in %s : %s%s]" % (names, self.expr(True), self.expr(True), cond)
        group = "..." if self.chance(0.3) else ""
        return "{for %s in %s : %s => %s%s%s}" % (names, self.expr(True), self.expr(True),
                                                  self.expr(True), group, cond)

    def term(self, inline):
        self.depth += 1
        deep = self.depth > 3
        kind = self.rng.randrange(14 if not deep else 6)
        if kind == 0:
            text = self.number()
        elif kind == 1:
            text = self.pick(["true", "false", "null"])
        elif kind in (2, 3):
            text = self.quoted()
        elif kind in (4, 5):
            text = self.traversal()
        elif kind in (6, 7):
            text = self.call(inline)
        elif kind == 8:
            text = self.tuple_expr(inline)
        elif kind == 9:
            text = self.object_expr(inline)
        elif kind == 10:
            text = self.for_expr()
        elif kind == 11:
            text = "(%s)" % self.expr(True)
        elif kind == 12:
            text = "%s ? %s : %s" % (self.unary(True), self.expr(True), self.expr(True))
        else:
            text = self.pick(["-" + self.number(), "-" + self.traversal(), "!" + self.traversal(),
                              "!" + self.pick(["true", "false"])])
        self.depth -= 1
        return text

    def unary(self, inline):
        if self.chance(0.1):
            return "-" + self.number()
        return self.term(inline)

    def expr(self, inline=False):
        text = self.unary(inline)
        for _ in range(self.rng.randrange(0, 3) if self.depth < 3 else 0):
            op = self.pick(["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"])
            text = "%s %s %s" % (text, op, self.unary(inline))
        return text

    # Structure -------------------------------------------------------------

    def comment(self):
        return self.pick(["# note é\n", "// note\n", "/* note */\n", "/* a\n  policy = {} */\n"])

    def body(self, indent, label_counts, level, used=None):
        lines = []
        used = set() if used is None else used
        for _ in range(self.rng.randrange(1, 6)):
            if self.chance(0.1):
                lines.append(indent + self.comment())
            if level < 3 and self.chance(0.3):
                lines.append(self.block(indent, label_counts, level))
                continue
            name = self.pick(ATTRIBUTE_NAMES)
            if name in used:
                continue
            used.add(name)
            value = self.heredoc() if self.chance(0.1) else self.expr() + "\n"
            trailer = ""
            if value.endswith("\n") and not value.startswith("<<") and self.chance(0.1):
                trailer = " # end of line"
            lines.append("%s%s = %s" % (indent, name, value[:-1] + trailer + "\n"))
        return "".join(lines)

    def block(self, indent, label_counts, level):
        block_type = self.pick(BLOCK_TYPES)
        count = label_counts.setdefault(block_type, self.rng.randrange(0, 3))
        labels = []
        for _ in range(count):
            if self.chance(0.5):
                labels.append('"%s"' % self.pick(["aws_iam_policy", "reports", "a b", "x-1", "é"]))
            else:
                labels.append(self.pick(["aws_iam_role", "irsa", "bucket", "q1"]))
        head = indent + " ".join([block_type] + labels)
        if self.chance(0.15):
            return head + " {}\n"
        if self.chance(0.1):
            return head + " { %s = %s }\n" % (self.pick(ATTRIBUTE_NAMES), self.expr(True))
        inner = self.body(indent + "  ", {}, level + 1)
        return head + " {\n" + inner + indent + "}\n"


def generate_file(rng):
    gen = Generator(rng)
    label_counts = {}
    used = set()
    parts = []
    for _ in range(rng.randrange(1, 5)):
        if rng.random() < 0.2:
            parts.append(gen.comment())
        if rng.random() < 0.7:
            parts.append(gen.block("", label_counts, 0))
        else:
            parts.append(gen.body("", label_counts, 0, used))
        parts.append("\n" * rng.randrange(0, 2))
    text = "".join(parts)
    if rng.random() < 0.2 and text.rstrip("\n").endswith("}"):
        text = text.rstrip("\n")  # no final line break
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.05:
        text = "\ufeff" + text
    return text
