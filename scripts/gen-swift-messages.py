#!/usr/bin/env python3
"""Generates the Swift and Python code of the RPC contract from Protos/.

Messages: the envelope and built-in protos (rpc, health, reflection, session) have hand-written
Swift types in Sources/NoProofCodec/Messages; every other .proto file (the API) gets
Sources/NoProofMessages/Generated/<File>Messages.swift (value types and protobuf-c conversions).
Each API message's Swift type carries the prefix `API` (`LookupRequest` -> `APILookupRequest`,
nested enums inside it), so that it never collides with a domain type; its wire name is the
proto's.

Methods: every `service` block gets <Service>Methods.swift (typed method descriptors:
`UnaryMethod<Request, Response>` / `ServerStreamingMethod<Request, Response>`, which the server
registers handlers with and the Swift client calls): the built-in services (health, reflection,
session) in Sources/NoProofProtocol/Generated, the API services beside their messages in
Sources/NoProofMessages/Generated, with ContractMethods.swift (the whole contract). And the
Python client's method table clients/python/src/noproof/_methods.py.

    scripts/gen-swift-messages.py           regenerate
    scripts/gen-swift-messages.py --check   exit 1 if the committed files are stale

Supported proto3 subset: scalar (string, bytes, bool, int32, int64, uint32, uint64), message and
nested enum fields, `repeated` of strings, bytes and messages; `service` blocks of unary and
server-streaming `rpc`s (no client streaming) whose request and response are messages of the same
package.

A method's numeric id and access rules are annotations in the comment lines right above its `rpc`
(custom `MethodOptions` would need google/protobuf/descriptor.proto, whose C code protoc-c does not
ship: see docs/PROTOCOL.md, "Adding a method"):

    // <summary, the text ListMethods sends; may span several lines>
    // @id 10                  the stable method id (required, unique, non-zero)
    // @public                 callable before authenticating (default: authentication required)
    // @role <text>            the staff role the call needs, as ListMethods tells it (default: none)
    // @swift <name>           the Swift descriptor's name (default: the method name, lowerCamelCase)
    rpc Lookup(LookupRequest) returns (LookupResponse);

and above the `service` line, `// @swift <EnumName>` names its Swift enum (default:
<Service>Methods); the other comment lines there are its documentation.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "Protos"
OUT = ROOT / "Sources" / "NoProofMessages" / "Generated"
METHODS_OUT = ROOT / "Sources" / "NoProofProtocol" / "Generated"  # the built-in services' methods
API_METHODS_OUT = OUT  # the API services' methods and the whole contract
PYTHON_METHODS = ROOT / "clients" / "python" / "src" / "noproof" / "_methods.py"
HAND_WRITTEN = {"rpc.proto", "health.proto", "reflection.proto", "session.proto"}
# The Swift type of an API message: the prefix keeps it apart from the domain types (Licence...).
API_PREFIX = "API"


def swift_type(message, hand_written=False):
    return message if hand_written else API_PREFIX + message

SCALARS = {
    "string": ("String", '""'),
    "bytes": ("[UInt8]", "[]"),
    "bool": ("Bool", "false"),
    "int32": ("Int32", "0"),
    "int64": ("Int64", "0"),
    "uint32": ("UInt32", "0"),
    "uint64": ("UInt64", "0"),
    "double": ("Double", "0"),
    "float": ("Float", "0"),
}


def camel(name, upper=False):
    words = name.split("_")
    out = []
    for i, w in enumerate(words):
        if w == "id":
            out.append("ID" if (i > 0 or upper) else "id")
        elif i == 0 and not upper:
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return "".join(out)


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def enum_case(name, prefix_words):
    return camel(name.lower())


def parse(text):
    text = re.sub(r"//[^\n]*", "", text)
    package = re.search(r"package\s+([\w.]+)\s*;", text).group(1)
    messages = []
    pos = 0
    for m in re.finditer(r"\bmessage\s+(\w+)\s*\{", text):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        pos = i
        enums = {}
        for e in re.finditer(r"\benum\s+(\w+)\s*\{([^}]*)\}", body):
            enums[e.group(1)] = [(v.group(1), int(v.group(2))) for v in re.finditer(r"(\w+)\s*=\s*(\d+)\s*;", e.group(2))]
        plain = re.sub(r"\benum\s+\w+\s*\{[^}]*\}", "", body)
        fields = []
        for f in re.finditer(r"(repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;", plain):
            fields.append({"repeated": bool(f.group(1)), "type": f.group(2), "name": f.group(3), "number": int(f.group(4))})
        messages.append({"name": m.group(1), "enums": enums, "fields": fields})
    return package, messages


def c_prefix(package):
    return "__".join(p.capitalize() for p in package.split("."))


def c_func_prefix(package):
    return "__".join(package.split("."))


def all_message_names():
    """Message names of every generated .proto: a file may use another's messages (import)."""
    names = set()
    for proto in PROTOS.glob("*.proto"):
        if proto.name not in HAND_WRITTEN:
            names |= {m["name"] for m in parse(proto.read_text())[1]}
    return names


# Bytes a scalar field's value may take when packed (varints at most 10: a negative int32 or enum
# is sign-extended to 64 bits on the wire).
SCALAR_VALUE_BOUND = {"bool": 1, "int32": 10, "int64": 10, "uint32": 5, "uint64": 10, "double": 8, "float": 4}


def varint_size(value):
    size = 1
    while value >= 0x80:
        value >>= 7
        size += 1
    return size


def field_allowance(field, enums):
    """What a field adds to CArena's packed size bound besides what the arena counts itself
    (string and bytes contents with their length prefixes, nested messages, repeated elements):
    its tag, and a scalar's value."""
    if field["repeated"]:
        return 0
    tag = varint_size(field["number"] << 3)
    t = field["type"]
    if t in SCALAR_VALUE_BOUND:
        return tag + SCALAR_VALUE_BOUND[t]
    if t in enums:
        return tag + 10
    return tag  # string, bytes, message


MAX_NESTING = 16


def check_nesting():
    """The codec checks strings as it reads them and walks the wire bytes (with a depth limit of
    32) only in rare cases, so a message type must not nest deeper than that, nor recursively:
    protobuf-c itself has no depth limit. Fails the generation otherwise."""
    fields = {}
    for proto in PROTOS.glob("*.proto"):
        for m in parse(proto.read_text())[1]:
            fields[m["name"]] = [f["type"] for f in m["fields"]]

    def depth(name, seen):
        if name in seen:
            raise SystemExit(f"message {name} nests recursively: the codec does not support that")
        inner = [depth(t, seen | {name}) for t in fields[name] if t in fields]
        return 1 + max(inner, default=0)

    for name in fields:
        if depth(name, frozenset()) > MAX_NESTING:
            raise SystemExit(f"message {name} nests more than {MAX_NESTING} deep: the codec does not support that")


def generate(path):
    package, messages = parse(path.read_text())
    names = all_message_names()
    lines = [
        f"// Generated by scripts/gen-swift-messages.py from Protos/{path.name}. DO NOT EDIT.",
        "package import CNoProofProtos",
        "package import NoProofCodec",
        "",
    ]
    for msg in messages:
        name = swift_type(msg["name"])
        cname = f"{c_prefix(package)}__{msg['name']}"
        props, inits, fills, reads = [], [], [], []
        for e_name, values in msg["enums"].items():
            lines_enum = [f"    package enum {e_name}: UInt32, Hashable, Sendable, CaseIterable {{"]
            for v, n in values:
                lines_enum.append(f"        case {enum_case(v, e_name)} = {n}")
            lines_enum.append("    }")
            props.append("\n".join(lines_enum))
        for f in msg["fields"]:
            swift = camel(f["name"])
            cfield = f["name"]
            t = f["type"]
            if f["repeated"]:
                if t == "string":
                    st, default = "[String]", "[]"
                    fills.append(f"        (c.n_{cfield}, c.{cfield}) = arena.strings({swift})")
                    reads.append(f"        {swift} = try readStrings(c.n_{cfield}, c.{cfield})")
                elif t == "bytes":
                    st, default = "[[UInt8]]", "[]"
                    fills.append(f"        (c.n_{cfield}, c.{cfield}) = arena.binaries({swift})")
                    reads.append(f"        {swift} = readBinaries(c.n_{cfield}, c.{cfield})")
                elif t in names:
                    st, default = f"[{swift_type(t)}]", "[]"
                    fills.append(f"        (c.n_{cfield}, c.{cfield}) = arena.messages({swift})")
                    reads.append(f"        {swift} = try readRepeated(c.n_{cfield}, c.{cfield}, as: {swift_type(t)}.self)")
                else:
                    raise SystemExit(f"{path.name}: repeated {t} not supported")
            elif t in SCALARS:
                st, default = SCALARS[t]
                if t == "string":
                    fills.append(f"        c.{cfield} = arena.string({swift})")
                    reads.append(f"        {swift} = try String(protobufC: c.{cfield})")
                elif t == "bytes":
                    fills.append(f"        c.{cfield} = arena.bytes({swift})")
                    reads.append(f"        {swift} = [UInt8](protobufC: c.{cfield})")
                elif t == "bool":
                    fills.append(f"        c.{cfield} = {swift} ? 1 : 0")
                    reads.append(f"        {swift} = c.{cfield} != 0")
                else:
                    fills.append(f"        c.{cfield} = {swift}")
                    reads.append(f"        {swift} = c.{cfield}")
            elif t in msg["enums"]:
                first = enum_case(msg["enums"][t][0][0], t)
                st, default = t, f".{first}"
                ctype = f"{cname}__{t}"
                fills.append(f"        c.{cfield} = {ctype}(rawValue: {swift}.rawValue)")
                reads.append(f"        guard let {swift}Value = {t}(rawValue: c.{cfield}.rawValue) else {{")
                reads.append(f"            throw CodecError(.invalidValue, messageType: Self.protoName, field: \"{cfield}\")")
                reads.append("        }")
                reads.append(f"        {swift} = {swift}Value")
            elif t in names:
                st, default = f"{swift_type(t)}?", "nil"
                fills.append(f"        c.{cfield} = {swift}.map {{ arena.message($0) }}")
                reads.append(f"        {swift} = try readOptional(c.{cfield}, as: {swift_type(t)}.self)")
            else:
                raise SystemExit(f"{path.name}: type {t} not supported")
            props.append(f"    package var {swift}: {st}")
            inits.append((swift, st, default))
        lines.append(f"package struct {name}: Hashable, Sendable {{")
        lines.extend(props)
        lines.append("")
        if inits:
            params = ", ".join(f"{s}: {t} = {d}" for s, t, d in inits)
            lines.append(f"    package init({params}) {{")
            for s, _, _ in inits:
                lines.append(f"        self.{s} = {s}")
            lines.append("    }")
        else:
            lines.append("    package init() {}")
        lines.append("}")
        lines.append("")
        lines.append(f"extension {name}: ProtoMessage {{")
        lines.append(f"    package typealias CMessage = {cname}")
        lines.append(f"    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {{ {c_func_prefix(package)}__{snake(msg['name'])}__descriptor_ptr() }}")
        allowance = sum(field_allowance(f, msg["enums"]) for f in msg["fields"])
        lines.append(f"    package static var packedFieldAllowance: Int {{ {allowance} }}")
        lines.append("")
        lines.append("    package func fill(_ c: inout CMessage, arena: inout CArena) {")
        lines.extend(fills)
        lines.append("    }")
        lines.append("")
        lines.append("    package init(c: borrowing CMessage) throws(CodecError) {")
        lines.extend(reads)
        lines.append("    }")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def comment_block(lines, end):
    """The `//` comment lines right above line `end` (stripped of the slashes), top first."""
    block = []
    i = end - 1
    while i >= 0 and lines[i].strip().startswith("//"):
        block.insert(0, lines[i].strip()[2:].strip())
        i -= 1
    return block


def annotations(block, where):
    """Splits a comment block into its text and its `@key value` annotations."""
    text, notes = [], {}
    for line in block:
        m = re.match(r"@(\w+)\s*(.*)$", line)
        if not m:
            if line:
                text.append(line)
            continue
        key, value = m.group(1), m.group(2).strip()
        if key not in {"id", "public", "role", "swift"}:
            raise SystemExit(f"{where}: unknown annotation @{key}")
        if key in notes:
            raise SystemExit(f"{where}: @{key} given twice")
        notes[key] = value
    return " ".join(text), notes


def lower_camel(name):
    return name[:1].lower() + name[1:]


def parse_services(path):
    """The `service` blocks of a .proto file with their methods and annotations."""
    raw = path.read_text()
    package = re.search(r"package\s+([\w.]+)\s*;", raw).group(1)
    lines = raw.split("\n")
    services = []
    current = None
    for n, line in enumerate(lines):
        code = re.sub(r"//.*", "", line).strip()
        s = re.match(r"service\s+(\w+)\s*\{$", code)
        if s:
            doc, notes = annotations(comment_block(lines, n), f"{path.name}: service {s.group(1)}")
            if set(notes) - {"swift"}:
                raise SystemExit(f"{path.name}: service {s.group(1)}: only @swift annotates a service")
            current = {"name": s.group(1), "full": f"{package}.{s.group(1)}", "doc": doc,
                       "swift": notes.get("swift") or f"{s.group(1)}Methods", "proto": f"services/{path.name}", "methods": [],
                       "builtin": path.name in HAND_WRITTEN}
            services.append(current)
            continue
        if current is None:
            if code.startswith("rpc "):
                raise SystemExit(f"{path.name}:{n + 1}: rpc outside a service block")
            continue
        if code == "}":
            current = None
            continue
        if not code:
            continue
        r = re.match(r"rpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*;$", code)
        if not r:
            raise SystemExit(f"{path.name}:{n + 1}: not supported in a service block (one `rpc A(B) returns (C);` a line): {code}")
        name = r.group(1)
        where = f"{path.name}: {current['name']}.{name}"
        if r.group(2):
            raise SystemExit(f"{where}: client streaming is not supported")
        summary, notes = annotations(comment_block(lines, n), where)
        if not re.fullmatch(r"\d+", notes.get("id", "")):
            raise SystemExit(f"{where}: needs `// @id <number>` above the rpc")
        for key in ("public",):
            if notes.get(key):
                raise SystemExit(f"{where}: @{key} takes no value")
        if "role" in notes and not notes["role"]:
            raise SystemExit(f"{where}: @role needs a value")
        for t in (r.group(3), r.group(5)):
            if "." in t:
                raise SystemExit(f"{where}: {t}: only messages of package {package} are supported")
        current["methods"].append({
            "name": name, "id": int(notes["id"]), "request": r.group(3), "response": r.group(5),
            "streaming": bool(r.group(4)), "public": "public" in notes, "role": notes.get("role", ""),
            "summary": summary, "swift": notes.get("swift") or lower_camel(name),
            "path": f"/{current['full']}/{name}", "package": package,
        })
    if current is not None:
        raise SystemExit(f"{path.name}: service {current['name']} is not closed")
    return services


def all_services():
    # The contract: the service blocks of Protos/services/*.proto (messages stay in Protos/*.proto,
    # which protoc-c compiles; a service block there would make it emit C service stubs).
    services = [s for proto in sorted((PROTOS / "services").glob("*.proto")) for s in parse_services(proto)]
    for proto in PROTOS.glob("*.proto"):
        if parse_services(proto):
            raise SystemExit(f"Protos/{proto.name}: service blocks belong in Protos/services/{proto.name}")
    messages = set()
    for proto in PROTOS.glob("*.proto"):
        messages |= {m["name"] for m in parse(proto.read_text())[1]}
    ids, paths, enums = {}, set(), set()
    for s in services:
        if s["swift"] in enums:
            raise SystemExit(f"Swift enum {s['swift']} used by two services")
        enums.add(s["swift"])
        names = set()
        for m in s["methods"]:
            if m["id"] == 0:
                raise SystemExit(f"{m['path']}: method id 0 is reserved")
            if m["id"] in ids:
                raise SystemExit(f"{m['path']}: method id {m['id']} already used by {ids[m['id']]}")
            ids[m["id"]] = m["path"]
            if m["swift"] in names:
                raise SystemExit(f"{m['path']}: Swift name {m['swift']} used twice in {s['name']}")
            names.add(m["swift"])
            for t in (m["request"], m["response"]):
                if t not in messages:
                    raise SystemExit(f"{m['path']}: unknown message {t}")
    return services


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate_methods(service):
    # A built-in service's messages are the hand-written ones of NoProofCodec; an API service's
    # are generated beside it, in NoProofMessages, which sees the descriptors of NoProofProtocol.
    imports = ["package import NoProofCodec"] if service["builtin"] else ["package import NoProofProtocol"]
    lines = [
        f"// Generated by scripts/gen-swift-messages.py from Protos/{service['proto']}. DO NOT EDIT.",
        *imports,
        "",
    ]
    if service["doc"]:
        lines.append(f"/// {service['doc']}")
    lines.append(f"package enum {service['swift']} {{")
    lines.append(f"    package static let service = {swift_string(service['full'])}")
    for m in service["methods"]:
        kind = "ServerStreamingMethod" if m["streaming"] else "UnaryMethod"
        lines.append("")
        lines.append(f"    /// `{m['path']}` (id {m['id']}){': ' + m['summary'] if m['summary'] else ''}")
        args = [f"service: service, method: {swift_string(m['name'])}, id: {m['id']}"]
        if m["public"]:
            args.append("requiresAuthentication: false")
        if m["role"]:
            args.append(f"requiredRole: {swift_string(m['role'])}")
        if m["summary"]:
            args.append(f"summary: {swift_string(m['summary'])}")
        request, response = (swift_type(m[k], service["builtin"]) for k in ("request", "response"))
        lines.append(f"    package static let {m['swift']} = {kind}<{request}, {response}>(")
        lines.append("        " + ",\n        ".join(args))
        lines.append("    )")
    lines.append("")
    lines.append("    /// Every method of the service, by id.")
    by_id = sorted(service["methods"], key=lambda m: m["id"])
    lines.append(f"    package static let all: [MethodDescriptor] = [")
    for m in by_id:
        lines.append(f"        {m['swift']}.descriptor,")
    lines.append("    ]")
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def generate_contract(services):
    lines = [
        "// Generated by scripts/gen-swift-messages.py from Protos/*.proto. DO NOT EDIT.",
        "package import NoProofProtocol",
        "",
        "/// The whole RPC contract: every method the protos declare.",
        "package enum ContractMethods {",
        "    /// Every method of every service (the built-in ones too), by id.",
        "    package static let all: [MethodDescriptor] = [",
    ]
    methods = sorted(((s, m) for s in services for m in s["methods"]), key=lambda sm: sm[1]["id"])
    for s, m in methods:
        lines.append(f"        {s['swift']}.{m['swift']}.descriptor,")
    lines.append("    ]")
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def generate_python_methods(services):
    lines = [
        "# Generated by scripts/gen-swift-messages.py from Protos/*.proto; do not edit.",
        "from __future__ import annotations",
        "from typing import NamedTuple",
        "",
        "",
        "class Method(NamedTuple):",
        '    service: str           # "noproof.v1.Licences"',
        '    name: str              # "Lookup"',
        "    id: int                # 10",
        '    path: str              # "/noproof.v1.Licences/Lookup"',
        '    request: str           # "noproof.v1.LookupRequest" (full proto name)',
        '    response: str          # "noproof.v1.LookupResponse"',
        "    server_streaming: bool",
        "    requires_authentication: bool",
        "",
        "",
        "METHODS: dict[str, Method] = {",
    ]
    methods = sorted(((s, m) for s in services for m in s["methods"]), key=lambda sm: sm[1]["id"])
    for s, m in methods:
        fields = [s["full"], m["name"], m["id"], m["path"], f"{m['package']}.{m['request']}",
                  f"{m['package']}.{m['response']}", m["streaming"], not m["public"]]
        rendered = ", ".join(f'"{f}"' if isinstance(f, str) else str(f) for f in fields)
        lines.append(f'    "{m["path"]}": Method({rendered}),')
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def main():
    check = "--check" in sys.argv
    check_nesting()
    services = all_services()
    for folder in (OUT, METHODS_OUT, API_METHODS_OUT):
        folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for proto in sorted(PROTOS.glob("*.proto")):
        if proto.name in HAND_WRITTEN:
            continue
        stem = "".join(w.capitalize() for w in proto.stem.split("_"))
        wanted[OUT / f"{stem}Messages.swift"] = generate(proto)
    for service in services:
        folder = METHODS_OUT if service["builtin"] else API_METHODS_OUT
        wanted[folder / f"{service['swift']}.swift"] = generate_methods(service)
    wanted[API_METHODS_OUT / "ContractMethods.swift"] = generate_contract(services)
    wanted[PYTHON_METHODS] = generate_python_methods(services)
    stale = False
    for path, text in wanted.items():
        if check:
            if not path.exists() or path.read_text() != text:
                print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
                stale = True
        else:
            path.write_text(text)
    # The generated folders of before NoProofMessages existed, too: what is left there is an orphan.
    old_out = ROOT / "Sources" / "NoProofCodec" / "Generated"
    for path in sorted({*OUT.glob("*.swift"), *METHODS_OUT.glob("*.swift"), *old_out.glob("*.swift")}):
        if path not in wanted:
            if check:
                print(f"orphan: {path.relative_to(ROOT)}", file=sys.stderr)
                stale = True
            else:
                path.unlink()
    if check:
        if stale:
            print("generated Swift messages and methods or the Python method table are stale: "
                  "run scripts/gen-swift-messages.py and commit", file=sys.stderr)
            sys.exit(1)
        print("generated Swift messages and methods and the Python method table are up to date")
    else:
        print("regenerated: " + " ".join(p.name for p in wanted))


if __name__ == "__main__":
    main()
