#!/usr/bin/env python3
"""Generate the C tables of the action catalog from rules/catalog/*.tsv.

The tables are plain constant arrays: one string pool, and records that
refer to strings by their offset in the pool and to other records by their
index.  Offsets instead of pointers leave the tables without relocations, so
the dynamic loader has nothing to patch and the catalog costs no start-up
time.  Records are sorted the way src/catalog/ searches them:

  services          by prefix
  actions           by service, then by action name, both compared lower case
  resource types    by service, then by name, lower case
  condition keys    by name, lower case

The first output, catalog_table.h, holds only the counts, which the public
header needs for the fixed-size action set.  The second, catalog_data.h, is
included by src/catalog/data.c alone.  It writes each record as a call of a
macro that data.c defines, so the field order is set in one place.

Usage: gen-catalog.py CATALOG_DIR OUT_TABLE_H OUT_DATA_H DEPFILE
"""
import os
import sys

FILES = (
    "source.txt",
    "services.tsv",
    "resource-types.tsv",
    "actions.tsv",
    "action-resources.tsv",
    "condition-keys.tsv",
)

ACCESS_LEVELS = {
    "List": "LIST",
    "Read": "READ",
    "Write": "WRITE",
    "Permissions management": "PERMISSIONS_MANAGEMENT",
    "Tagging": "TAGGING",
}
KEY_TYPES = {
    "String": "STRING",
    "ARN": "ARN",
    "Bool": "BOOL",
    "Numeric": "NUMERIC",
    "Date": "DATE",
    "IPAddress": "IP_ADDRESS",
    "Binary": "BINARY",
}
KEY_SCOPES = {"global", "service", "supplement"}

# Field widths of the C records in src/catalog/internal.h.  The generator
# fails rather than let a larger catalog wrap around.
UINT16_MAX = 0xFFFF
UINT32_MAX = 0xFFFFFFFF
# Maximum length of an action's full name, CATALOG_ACTION_NAME_MAX in
# src/catalog/internal.h.  Pattern expansion sizes a stack buffer by it.
ACTION_NAME_MAX = 255
# Maximum length of a key with variable parts, plus one.  It equals
# CATALOG_TEMPLATE_MAX in src/catalog/condition.c, whose matcher copies such a
# key to a stack buffer.
TEMPLATE_MAX = 256


def fail(msg):
    sys.stderr.write("gen-catalog: %s\n" % msg)
    sys.exit(1)


def read_rows(folder, name, columns):
    path = os.path.join(folder, name)
    rows = []
    try:
        with open(path, encoding="ascii") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        fail("%s: %s" % (path, e))
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            fail("%s:%d: expected %d tab-separated fields, found %d" % (path, number, columns, len(fields)))
        rows.append((fields, "%s:%d" % (path, number)))
    return rows


def split_list(field):
    return [] if field == "-" else field.split(" ")


def lower_key(text):
    return text.lower().encode("ascii")


class Pool:
    """Every string once, NUL-terminated, addressed by its offset."""

    def __init__(self):
        self.offsets = {}
        self.strings = []
        self.size = 0

    def add(self, text):
        if text not in self.offsets:
            self.offsets[text] = self.size
            self.strings.append(text)
            self.size += len(text.encode("ascii")) + 1
            if self.size > UINT32_MAX:
                fail("the string pool is larger than 4 GiB")
        return self.offsets[text]


class RefLists:
    """Lists of record indexes in one array, each distinct list stored once."""

    def __init__(self):
        self.items = []
        self.starts = {}

    def add(self, indexes):
        indexes = tuple(indexes)
        if not indexes:
            return 0
        if indexes not in self.starts:
            self.starts[indexes] = len(self.items)
            self.items.extend(indexes)
        return self.starts[indexes]


def check_count(value, limit, subject):
    if value > limit:
        fail("%s: %d does not fit the table field (at most %d)" % (subject, value, limit))
    return value


def load_source(folder):
    source = {}
    for (field, value), where in read_rows(folder, "source.txt", 2):
        source[field] = value
    for field in ("package", "version", "updated"):
        if field not in source:
            fail("%s/source.txt: missing the '%s' line" % (folder, field))
    return source


def load_services(folder):
    services = []
    for (prefix, name), where in read_rows(folder, "services.tsv", 2):
        if prefix != prefix.lower() or ":" in prefix or not prefix:
            fail("%s: invalid service prefix '%s'" % (where, prefix))
        services.append({"prefix": prefix, "name": name, "actions": [], "types": []})
    services.sort(key=lambda s: lower_key(s["prefix"]))
    for a, b in zip(services, services[1:]):
        if a["prefix"] == b["prefix"]:
            fail("service '%s' is listed twice" % a["prefix"])
    return services


def load_keys(folder):
    keys = []
    for (name, type_name, scope), where in read_rows(folder, "condition-keys.tsv", 3):
        multivalued = type_name.startswith("ArrayOf")
        base = type_name[len("ArrayOf"):] if multivalued else type_name
        if base not in KEY_TYPES:
            fail("%s: unknown condition key type '%s'" % (where, type_name))
        if scope not in KEY_SCOPES:
            fail("%s: unknown scope '%s'" % (where, scope))
        keys.append({"name": name, "type": KEY_TYPES[base], "multivalued": multivalued, "scope": scope})
    keys.sort(key=lambda k: lower_key(k["name"]))
    for a, b in zip(keys, keys[1:]):
        if lower_key(a["name"]) == lower_key(b["name"]):
            fail("condition key '%s' is listed twice" % a["name"])
    return keys


def key_indexes(names, key_index, where):
    indexes = []
    for name in names:
        index = key_index.get(lower_key(name))
        if index is None:
            fail("%s: unknown condition key '%s'" % (where, name))
        indexes.append(index)
    return sorted(set(indexes))


def load_resource_types(folder, by_prefix, key_index):
    for (prefix, name, arns, keys), where in read_rows(folder, "resource-types.tsv", 4):
        service = by_prefix.get(prefix)
        if service is None:
            fail("%s: unknown service '%s'" % (where, prefix))
        service["types"].append(
            {"name": name, "arns": split_list(arns), "keys": key_indexes(split_list(keys), key_index, where)}
        )
    for service in by_prefix.values():
        service["types"].sort(key=lambda t: lower_key(t["name"]))
        for a, b in zip(service["types"], service["types"][1:]):
            if lower_key(a["name"]) == lower_key(b["name"]):
                fail("resource type '%s' of '%s' is listed twice" % (a["name"], service["prefix"]))


def parse_access(text, where):
    levels = []
    for part in text.split(", "):
        if part not in ACCESS_LEVELS:
            fail("%s: unknown access level '%s'" % (where, text))
        levels.append(ACCESS_LEVELS[part])
    return levels


def load_actions(folder, by_prefix, key_index):
    by_name = {}
    for (name, access, keys), where in read_rows(folder, "actions.tsv", 3):
        prefix, _, action = name.partition(":")
        service = by_prefix.get(prefix)
        if service is None or not action:
            fail("%s: '%s' is not a 'service:Action' name of a listed service" % (where, name))
        record = {
            "name": name,
            "lower": lower_key(action),
            "access": parse_access(access, where),
            "keys": key_indexes(split_list(keys), key_index, where),
            "resources": [],
        }
        if len(name) > ACTION_NAME_MAX:
            fail("%s: action '%s' is longer than %d characters" % (where, name, ACTION_NAME_MAX))
        if name.lower() in by_name:
            fail("%s: action '%s' is listed twice" % (where, name))
        by_name[name.lower()] = record
        service["actions"].append(record)
    for service in by_prefix.values():
        service["actions"].sort(key=lambda a: a["lower"])
    return by_name


def load_action_resources(folder, by_prefix, actions, key_index):
    for (name, type_name, required, keys), where in read_rows(folder, "action-resources.tsv", 4):
        action = actions.get(name.lower())
        if action is None:
            fail("%s: unknown action '%s'" % (where, name))
        if required not in ("required", "-"):
            fail("%s: the required field is 'required' or '-', not '%s'" % (where, required))
        action["resources"].append(
            {
                "type": (name.partition(":")[0], lower_key(type_name)),
                "required": required == "required",
                "keys": key_indexes(split_list(keys), key_index, where),
            }
        )


def is_template(name):
    return "${" in name or ("<" in name and ">" in name)


def first_variable(name):
    positions = [p for p in (name.find("${"), name.find("<")) if p >= 0]
    return min(positions)


class Tables:
    def __init__(self):
        self.pool = Pool()
        self.key_refs = RefLists()
        self.arns = []
        self.arns_by_service = []
        self.action_masks = []
        self.arn_types = []
        self.services = []
        self.actions = []
        self.action_resources = []
        self.resource_types = []
        self.keys = []
        self.templates = []
        self.templates_unprefixed = []


def build(source, services, keys):
    t = Tables()
    t.source = {f: t.pool.add(source[f]) for f in ("package", "version", "updated")}

    for index, key in enumerate(keys):
        t.keys.append((t.pool.add(key["name"]), key))
        if is_template(key["name"]):
            if len(key["name"]) >= TEMPLATE_MAX:
                fail("condition key '%s' is longer than %d characters" % (key["name"], TEMPLATE_MAX - 1))
            colon = key["name"].find(":")
            if colon < 0 or first_variable(key["name"]) < colon:
                t.templates_unprefixed.append(index)
            else:
                t.templates.append(index)

    type_index = {}
    for service_index, service in enumerate(services):
        first_type = len(t.resource_types)
        for rt in service["types"]:
            type_index[(service["prefix"], lower_key(rt["name"]))] = len(t.resource_types)
            first_arn = len(t.arns)
            t.arns.extend(t.pool.add(arn) for arn in rt["arns"])
            t.resource_types.append(
                (t.pool.add(rt["name"]), service_index, first_arn, len(rt["arns"]),
                 t.key_refs.add(rt["keys"]), len(rt["keys"]))
            )
        service["first_type"] = first_type

    t.arns_by_service, t.arn_types = index_arns_by_service(services)

    for service_index, service in enumerate(services):
        first_action = len(t.actions)
        for action in service["actions"]:
            first_resource = len(t.action_resources)
            for r in action["resources"]:
                if r["type"] not in type_index:
                    fail("action '%s' names an unknown resource type" % action["name"])
                t.action_resources.append(
                    (type_index[r["type"]], r["required"], t.key_refs.add(r["keys"]), len(r["keys"]))
                )
            t.action_masks.append(char_mask(action["name"]))
            t.actions.append(
                (t.pool.add(action["name"]), service_index, action["access"], first_resource,
                 check_count(len(action["resources"]), UINT16_MAX, action["name"]),
                 t.key_refs.add(action["keys"]), check_count(len(action["keys"]), UINT16_MAX, action["name"]))
            )
        t.services.append(
            (t.pool.add(service["prefix"]), t.pool.add(service["name"]), len(service["prefix"]),
             first_action, len(service["actions"]), service["first_type"], len(service["types"]))
        )

    check_count(len(t.keys), UINT16_MAX, "condition keys")
    check_count(len(t.resource_types), UINT16_MAX, "resource types")
    check_count(len(t.services), UINT16_MAX, "services")
    return t


def char_mask(name):
    """Return a mask with bit (c & 63) set for each byte c of the lower-cased
    name.  A pattern whose literal characters set a bit the name lacks
    cannot match it."""
    mask = 0
    for byte in name.encode():
        if 0x41 <= byte <= 0x5A:
            byte += 0x20
        mask |= 1 << (byte & 63)
    return mask


def arn_service_key(arn, own_prefix):
    """Return the service an ARN format names: its third field, or the
    type's own service when that field is a variable (Backup's ${Vendor})."""
    fields = arn.split(":")
    if len(fields) >= 4 and not any(c in fields[2] for c in "*?$"):
        return fields[2].encode()
    return own_prefix.encode()


def index_arns_by_service(services):
    """Return every ARN format, as an index into catalog_arns, sorted by the
    service it names and then in catalog order, and the resource type of
    each format."""
    keyed = []
    arn_types = []
    for service in services:
        for offset, rt in enumerate(service["types"]):
            for arn in rt["arns"]:
                keyed.append((arn_service_key(arn, service["prefix"]), len(arn_types)))
                arn_types.append(service["first_type"] + offset)
    keyed.sort()
    return [index for _, index in keyed], arn_types


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("?", "\\?") + '\\0"'


def write_table_header(path, t):
    lines = [
        "/* Generated by scripts/gen-catalog.py from rules/catalog; do not edit. */",
        "#ifndef IAMCROSS_CATALOG_TABLE_H",
        "#define IAMCROSS_CATALOG_TABLE_H",
        "",
        "#define CATALOG_SERVICE_COUNT %d" % len(t.services),
        "#define CATALOG_ACTION_COUNT %d" % len(t.actions),
        "#define CATALOG_RESOURCE_TYPE_COUNT %d" % len(t.resource_types),
        "#define CATALOG_CONDITION_KEY_COUNT %d" % len(t.keys),
        "",
        "#endif",
        "",
    ]
    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(lines))


def write_data(path, t):
    out = [
        "/* Generated by scripts/gen-catalog.py from rules/catalog; do not edit. */",
        "",
        "/* One pool of every string; ISO C only promises literals of 4095 bytes. */",
        "#if defined(__GNUC__)",
        '#pragma GCC diagnostic ignored "-Woverlength-strings"',
        "#endif",
        "",
        "const char catalog_strings[] =",
    ]
    out += ["\t%s" % c_string(s) for s in t.pool.strings]
    out[-1] += ";"
    out.append("")

    out.append("const struct catalog_source catalog_source = {%d, %d, %d};"
               % (t.source["package"], t.source["version"], t.source["updated"]))
    out.append("")

    out.append("const struct catalog_service catalog_services[CATALOG_SERVICE_COUNT] = {")
    out += ["\tSERVICE(%d, %d, %d, %d, %d, %d, %d)," % s for s in t.services]
    out += ["};", ""]

    out.append("const struct catalog_action catalog_actions[CATALOG_ACTION_COUNT] = {")
    for name, service, access, first_resource, resource_count, first_key, key_count in t.actions:
        bits = " | ".join("ACCESS(%s)" % level for level in access)
        out.append("\tACTION(%d, %d, %s, %d, %d, %d, %d)," %
                   (name, service, bits, first_resource, resource_count, first_key, key_count))
    out += ["};", ""]

    out.append("const struct catalog_action_resource catalog_action_resources[%d] = {"
               % max(1, len(t.action_resources)))
    out += ["\tACTION_RESOURCE(%d, %d, %d, %d)," % (ti, int(req), fk, kc)
            for ti, req, fk, kc in t.action_resources] or ["\t{0},"]
    out += ["};", ""]

    out.append("const struct catalog_resource_type catalog_resource_types[CATALOG_RESOURCE_TYPE_COUNT] = {")
    out += ["\tRESOURCE_TYPE(%d, %d, %d, %d, %d, %d)," % rt for rt in t.resource_types]
    out += ["};", ""]

    out.append("const struct catalog_condition_key catalog_condition_keys[CATALOG_CONDITION_KEY_COUNT] = {")
    for name, key in t.keys:
        flags = ["KEY_FLAG(%s)" % flag for flag, on in
                 (("MULTIVALUED", key["multivalued"]), ("GLOBAL", key["scope"] == "global"),
                  ("SUPPLEMENT", key["scope"] == "supplement"),
                  ("TEMPLATE", is_template(key["name"]))) if on]
        out.append("\tCONDITION_KEY(%d, KEY_TYPE(%s), %s)," % (name, key["type"], " | ".join(flags) or "0"))
    out += ["};", ""]

    for name, items, ctype in (
        ("catalog_key_refs", t.key_refs.items, "uint16_t"),
        ("catalog_arns", t.arns, "uint32_t"),
        ("catalog_arns_by_service", t.arns_by_service, "uint32_t"),
        ("catalog_arn_types", t.arn_types, "uint16_t"),
        ("catalog_action_masks", t.action_masks, "uint64_t"),
        ("catalog_templates", t.templates, "uint16_t"),
        ("catalog_templates_unprefixed", t.templates_unprefixed, "uint16_t"),
    ):
        out.append("const size_t %s_count = %d;" % (name, len(items)))
        out.append("const %s %s[%d] = {" % (ctype, name, max(1, len(items))))
        for i in range(0, len(items), 16):
            form = "0x%xu," if ctype == "uint64_t" else "%d,"
            out.append("\t" + " ".join(form % v for v in items[i : i + 16]))
        if not items:
            out.append("\t0,")
        out += ["};", ""]

    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(out))


def main():
    if len(sys.argv) != 5:
        fail("usage: gen-catalog.py CATALOG_DIR OUT_TABLE_H OUT_DATA_H DEPFILE")
    folder, out_table, out_data, depfile = sys.argv[1:5]

    source = load_source(folder)
    services = load_services(folder)
    keys = load_keys(folder)
    key_index = {lower_key(k["name"]): i for i, k in enumerate(keys)}
    by_prefix = {s["prefix"]: s for s in services}
    load_resource_types(folder, by_prefix, key_index)
    actions = load_actions(folder, by_prefix, key_index)
    load_action_resources(folder, by_prefix, actions, key_index)

    tables = build(source, services, keys)
    write_table_header(out_table, tables)
    write_data(out_data, tables)
    with open(depfile, "w", encoding="utf-8") as f:
        deps = [os.path.join(folder, name).replace(" ", "\\ ") for name in FILES]
        f.write("%s: %s\n" % (out_data, " ".join(deps)))


if __name__ == "__main__":
    main()
