"""Synthetic Twilio Functions projects for benchmarks.

Writes a fleet of Serverless Toolkit projects: ``package.json`` (some with a
``@twilio/runtime-handler`` range), ``.twilioserverlessrc`` (JSON with comments or YAML),
``.env``, handlers under ``functions/`` in the shapes seen in real templates, private helpers
and a few assets. Output is a pure function of the arguments (seeded), so two machines
benchmark the same bytes.

    python benchmarks/synth.py OUT --files 10000 --projects 200

``--files`` counts JavaScript files (what the linters are timed on); each project also gets
its config files and a couple of non-JS assets. Without ``--projects``, projects hold about
50 JavaScript files each.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
from pathlib import Path

GENERATOR_VERSION = 3  # bump when the output changes, so cached trees are rebuilt
MANIFEST = "synth-manifest.json"
FILES_PER_PROJECT = 50

AREAS = ["sms", "voice", "verify", "flex", "conversations", "video", "sync", "studio", "pay", "admin",
         "webhooks", "notify", "chat", "ivr", "callbacks"]
VERBS = ["send", "reply", "start", "check", "forward", "create", "update", "list", "fetch", "route",
         "record", "transfer", "notify", "lookup", "status", "token", "connect", "dial", "queue", "handle"]
NOUNS = ["message", "call", "conference", "code", "task", "worker", "order", "customer", "agent",
         "appointment", "survey", "reminder", "ticket", "payment", "recording", "participant", "room",
         "channel", "document", "event"]
ENV_NAMES = ["TWILIO_PHONE_NUMBER", "MY_PHONE_NUMBER", "VERIFY_SERVICE_SID", "SYNC_SERVICE_SID",
             "WORKSPACE_SID", "WORKFLOW_SID", "CONVERSATIONS_SERVICE_SID", "API_KEY", "API_SECRET",
             "FLEX_FLOW_SID", "STUDIO_FLOW_SID", "AIRTABLE_API_KEY", "WEBHOOK_URL", "ADMIN_PASSWORD",
             "CALLER_ID", "DEFAULT_LANGUAGE", "MAX_RETRIES", "OPENAI_API_KEY"]
HEADERS_LOWER = ["x-twilio-signature", "user-agent", "content-type", "x-forwarded-for", "authorization",
                 "x-home-region", "i-twilio-idempotency-token", "x-request-id"]
HEADERS_UPPER = ["X-Twilio-Signature", "User-Agent", "Content-Type", "X-Forwarded-For", "Authorization",
                 "X-Home-Region", "X-Request-Id", "Accept-Language"]
HANDLER_VERSIONS_EXACT = ["1.2.1", "1.2.5", "1.3.0", "2.0.1", "2.0.3", "2.1.0"]
HANDLER_VERSIONS_LOOSE = ["^1.2.1", "~1.3.0", "^2.0.1", "latest", "*", ">=1.2.0", "2.x", "^1.3.0 || ^2.0.0"]
TWILIO_VERSIONS = ["^3.84.1", "^4.23.0", "^5.0.3", "^5.3.2", "3.77.3", "~4.19.3"]


def _camel(*words: str) -> str:
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


class _Writer:
    """Collects the files of one project; nothing touches the disk until `flush`."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, str] = {}

    def add(self, rel: str, text: str) -> None:
        assert rel not in self.files, rel
        self.files[rel] = text

    def flush(self) -> None:
        for rel, text in self.files.items():
            p = self.root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)


# --------------------------------------------------------------------------- handler bodies


def _doc(rng: random.Random, what: str) -> str:
    lines = [
        "/**",
        f" * {what}",
        " *",
        rng.choice([
            " * Deployed with the Twilio Serverless Toolkit (`twilio serverless:deploy`).",
            " * Configure the webhook of your phone number to point at this Function.",
            " * Environment variables are read from the context object (see .env).",
            " * Protected: requests must carry a valid X-Twilio-Signature.",
        ]),
        " *",
        " * @param {import('@twilio/runtime-handler').Context} context",
        " * @param {object} event the request parameters (body and query, merged)",
        " * @param {function} callback call it exactly once with (err, response)",
        " */",
    ]
    return "\n".join(lines) + "\n"


def _helper_block(rng: random.Random, n: int) -> str:
    """Small local helper functions, like the ones that pad real handler files."""
    out = []
    for i in range(n):
        kind = rng.randrange(4)
        name = _camel(rng.choice(["format", "normalize", "build", "parse", "to", "clean"]), rng.choice(NOUNS), str(i))
        if kind == 0:
            out.append(
                f"function {name}(value) {{\n"
                f"  if (!value) {{\n    return '';\n  }}\n"
                f"  return String(value).trim().replace(/\\s+/g, ' ').slice(0, {rng.randint(40, 400)});\n}}\n"
            )
        elif kind == 1:
            out.append(
                f"const {name} = (number) => {{\n"
                f"  const digits = `${{number || ''}}`.replace(/[^0-9+]/g, '');\n"
                f"  return digits.startsWith('+') ? digits : `+1${{digits}}`;\n}};\n"
            )
        elif kind == 2:
            out.append(
                f"function {name}(items, key) {{\n"
                f"  const out = {{}};\n"
                f"  for (const item of items || []) {{\n"
                f"    const k = item[key];\n"
                f"    if (k === undefined) continue;\n"
                f"    out[k] = out[k] ? out[k].concat(item) : [item];\n"
                f"  }}\n  return out;\n}}\n"
            )
        else:
            unused = rng.random() < 0.3
            out.append(
                f"async function {name}(client, sid) {{\n"
                + ("  const started = Date.now();\n" if unused else "")
                + f"  const resource = await client.{rng.choice(['calls', 'messages', 'conferences'])}(sid).fetch();\n"
                f"  return {{ sid: resource.sid, status: resource.status }};\n}}\n"
            )
    return "\n".join(out)


def _header_reads(rng: random.Random, event: str) -> tuple[str, list[str]]:
    """Lines reading request headers; some keys are uppercase (always undefined on the platform)."""
    lines: list[str] = []
    names: list[str] = []
    picked: set[str] = set()
    for i in range(rng.randint(1, 3)):
        upper = rng.random() < 0.35
        key = rng.choice(HEADERS_UPPER if upper else HEADERS_LOWER)
        if key.lower() in picked:
            continue
        picked.add(key.lower())
        var = _camel("header", str(i))
        style = rng.randrange(5)
        if style == 0:
            lines.append(f"  const {var} = {event}.request.headers['{key}'];")
        elif style == 1 and "-" not in key:
            lines.append(f"  const {var} = {event}.request.headers.{key};")
        elif style == 2:
            lines.append(f"  const {var} = {event}.request?.headers?.['{key}'];")
        elif style == 3:
            lines.append(f"  const {{ '{key}': {var} }} = {event}.request.headers;")
        else:
            lines.append(f"  const headers = {event}.request.headers;" if i == 0 else "")
            lines.append(f"  const {var} = ({event}.request.headers || {{}})['{key}'];")
        names.append(var)
    if rng.random() < 0.3:
        lines.append(f"  const session = {event}.request.cookies.{rng.choice(['SessionId', 'sessionToken', 'UserPref'])};")
        names.append("session")
    return "\n".join(line for line in lines if line) + "\n", names


def _send_args(rng: random.Random, ctx: str, event: str) -> str:
    return (
        "{\n"
        f"      to: {event}.{rng.choice(['To', 'From', 'to', 'phone'])},\n"
        f"      from: {ctx}.{rng.choice(['TWILIO_PHONE_NUMBER', 'MY_PHONE_NUMBER', 'CALLER_ID'])},\n"
        f"      body: `{rng.choice(['Your code is', 'Thanks for contacting us', 'Reminder:', 'Order update:'])} ${{{event}.Body || ''}}`,\n"
        "    }"
    )


def _shape_sync(rng, ctx, event, cb, headers) -> str:
    twiml = rng.choice(["VoiceResponse", "MessagingResponse"])
    verb = "say" if twiml == "VoiceResponse" else "message"
    return (
        f"exports.handler = function ({ctx}, {event}, {cb}) {{\n"
        f"{headers}"
        f"  const twiml = new Twilio.twiml.{twiml}();\n"
        f"  const name = {event}.{rng.choice(['From', 'Caller', 'ProfileName'])} || 'there';\n"
        f"  twiml.{verb}(`Hello ${{name}}, thanks for {rng.choice(['calling', 'writing', 'reaching out'])}!`);\n"
        + (f"  if ({event}.Digits === '0') {{\n    twiml.{'dial' if twiml == 'VoiceResponse' else 'message'}({ctx}.MY_PHONE_NUMBER);\n  }}\n"
           if rng.random() < 0.5 else "")
        + f"  {cb}(null, twiml);\n"
        "};\n"
    )


def _shape_async(rng, ctx, event, cb, headers) -> str:
    arrow = rng.random() < 0.4
    head = f"async ({ctx}, {event}, {cb}) =>" if arrow else f"async function ({ctx}, {event}, {cb})"
    catch_var = rng.choice(["err", "error", "e"])
    return (
        f"exports.handler = {head} {{\n"
        f"{headers}"
        f"  const client = {ctx}.getTwilioClient();\n"
        "  try {\n"
        f"    const message = await client.messages.create({_send_args(rng, ctx, event)});\n"
        + ("    const response = new Twilio.Response();\n"
           "    response.appendHeader('Content-Type', 'application/json');\n"
           "    response.setBody({ sid: message.sid, status: message.status });\n"
           f"    return {cb}(null, response);\n" if rng.random() < 0.5 else
           f"    return {cb}(null, {{ sid: message.sid }});\n")
        + f"  }} catch ({catch_var}) {{\n"
        f"    console.error({catch_var});\n"
        f"    return {cb}({catch_var});\n"
        "  }\n"
        "};\n"
    )


def _shape_then(rng, ctx, event, cb, headers) -> str:
    resource = rng.choice(["calls", "messages", "recordings", "conferences"])
    missing_catch = rng.random() < 0.15
    return (
        f"exports.handler = ({ctx}, {event}, {cb}) => {{\n"
        f"{headers}"
        f"  const client = {ctx}.getTwilioClient();\n"
        f"  client.{resource}\n"
        f"    .list({{ limit: {rng.choice([20, 50, 100])} }})\n"
        f"    .then((items) => {{\n"
        f"      const sids = items.map((item) => item.sid);\n"
        f"      {cb}(null, {{ count: sids.length, sids }});\n"
        "    })"
        + (";\n" if missing_catch else f"\n    .catch((error) => {{\n      console.error(error.message);\n      {cb}(error);\n    }});\n")
        + "};\n"
    )


def _shape_wrapped(rng, ctx, event, cb, headers) -> str:
    return (
        "const TokenValidator = require('twilio-flex-token-validator').functionValidator;\n\n"
        f"exports.handler = TokenValidator(async ({ctx}, {event}, {cb}) => {{\n"
        f"{headers}"
        "  const response = new Twilio.Response();\n"
        "  response.appendHeader('Access-Control-Allow-Origin', '*');\n"
        "  response.appendHeader('Access-Control-Allow-Methods', 'OPTIONS POST GET');\n"
        "  response.appendHeader('Content-Type', 'application/json');\n"
        f"  const client = {ctx}.getTwilioClient();\n"
        "  try {\n"
        f"    const task = await client.taskrouter.v1.workspaces({ctx}.WORKSPACE_SID)\n"
        f"      .tasks({event}.taskSid)\n"
        f"      .update({{ assignmentStatus: {event}.status || 'completed' }});\n"
        "    response.setBody({ sid: task.sid });\n"
        f"    return {cb}(null, response);\n"
        "  } catch (err) {\n"
        "    response.setStatusCode(500);\n"
        "    response.setBody({ message: err.message });\n"
        f"    return {cb}(null, response);\n"
        "  }\n"
        "});\n"
    )


def _shape_helper_user(rng, ctx, event, cb, headers, helper: str) -> str:
    fn = rng.choice(["lookupCustomer", "formatNumber", "buildReply"])
    return (
        f"const {{ {fn} }} = require(Runtime.getFunctions()['{helper}'].path);\n\n"
        f"exports.handler = async function ({ctx}, {event}, {cb}) {{\n"
        f"{headers}"
        f"  const result = await {fn}({ctx}, {event}.From);\n"
        f"  if (!result) {{\n    return {cb}(null, {{ found: false }});\n  }}\n"
        f"  return {cb}(null, {{ found: true, result }});\n"
        "};\n"
    )


def _private_helper(rng) -> str:
    return (
        "// Shared helpers. Private: not reachable over HTTP, loaded with Runtime.getFunctions().\n"
        "const https = require('https');\n\n"
        "async function lookupCustomer(context, phone) {\n"
        "  const client = context.getTwilioClient();\n"
        "  const result = await client.lookups.v2.phoneNumbers(phone).fetch();\n"
        "  return result.valid ? { phone: result.phoneNumber, country: result.countryCode } : null;\n"
        "}\n\n"
        "function formatNumber(number) {\n"
        "  return `${number}`.replace(/[^0-9+]/g, '');\n"
        "}\n\n"
        "function buildReply(context, text) {\n"
        "  return new Promise((resolve, reject) => {\n"
        f"    const req = https.request({{ host: '{rng.choice(['api.example.com', 'hooks.example.org'])}', method: 'POST' }}, (res) => {{\n"
        "      res.on('data', () => {});\n"
        "      res.on('end', () => resolve(text));\n"
        "    });\n"
        "    req.on('error', reject);\n"
        "    req.end(JSON.stringify({ text }));\n"
        "  });\n"
        "}\n\n"
        "module.exports = { lookupCustomer, formatNumber, buildReply };\n"
    )


def _asset_client(rng) -> str:
    path = "/" + rng.choice(VERBS) + "-" + rng.choice(NOUNS)
    catch = rng.random() < 0.6
    return (
        "// Browser code served as a public asset.\n"
        "(function () {\n"
        "  const form = document.getElementById('form');\n"
        "  const status = document.getElementById('status');\n"
        "  form.addEventListener('submit', (event) => {\n"
        "    event.preventDefault();\n"
        "    const data = new URLSearchParams(new FormData(form));\n"
        f"    fetch('{path}', {{ method: 'POST', body: data }})\n"
        "      .then((res) => res.json())\n"
        "      .then((json) => {\n"
        "        status.textContent = json.sid ? 'Sent!' : 'Something went wrong';\n"
        "      })"
        + ("\n      .catch((err) => {\n        status.textContent = err.message;\n      });\n" if catch else ";\n")
        + "  });\n"
        "})();\n"
    )


def _asset_private(rng) -> str:
    return (
        "// Private asset: configuration shared by the Functions.\n"
        "module.exports = {\n"
        f"  greeting: '{rng.choice(['Welcome!', 'Hi there', 'Hello from Twilio'])}',\n"
        f"  retries: {rng.randint(1, 5)},\n"
        f"  languages: {json.dumps(rng.sample(['en-US', 'es-ES', 'fr-FR', 'de-DE', 'pt-BR'], 2))},\n"
        "};\n"
    )


def _shape_ivr(rng, ctx, event, cb, headers) -> str:
    options = rng.sample(["sales", "support", "billing", "hours", "operator", "voicemail"], rng.randint(2, 4))
    cases = "".join(
        f"    case '{i + 1}':\n      twiml.{'dial' if opt == 'operator' else 'say'}("
        + (f"{ctx}.MY_PHONE_NUMBER" if opt == "operator" else f"'Connecting you to {opt}.'")
        + ");\n      break;\n"
        for i, opt in enumerate(options)
    )
    menu = ", ".join(f"press {i + 1} for {opt}" for i, opt in enumerate(options))
    return (
        f"exports.handler = function ({ctx}, {event}, {cb}) {{\n"
        f"{headers}"
        "  const twiml = new Twilio.twiml.VoiceResponse();\n"
        f"  const digits = {event}.Digits;\n"
        "  if (!digits) {\n"
        "    const gather = twiml.gather({ numDigits: 1, action: '" + rng.choice(["/ivr", "/menu", "/voice/menu"]) + "' });\n"
        f"    gather.say('{menu.capitalize()}.');\n"
        "    twiml.redirect('/ivr');\n"
        f"    return {cb}(null, twiml);\n"
        "  }\n"
        "  switch (digits) {\n"
        + cases
        + "    default:\n"
        "      twiml.say('Sorry, I did not understand that.');\n"
        "      twiml.redirect('/ivr');\n"
        "  }\n"
        f"  return {cb}(null, twiml);\n"
        "};\n"
    )


def _shape_sync_doc(rng, ctx, event, cb, headers) -> str:
    return (
        f"exports.handler = async function ({ctx}, {event}, {cb}) {{\n"
        f"{headers}"
        f"  const client = {ctx}.getTwilioClient();\n"
        f"  const service = client.sync.v1.services({ctx}.SYNC_SERVICE_SID);\n"
        "  let doc;\n"
        "  try {\n"
        f"    doc = await service.documents({event}.documentName || '{rng.choice(NOUNS)}-state').fetch();\n"
        "  } catch (err) {\n"
        "    if (err.status !== 404) {\n"
        f"      return {cb}(err);\n"
        "    }\n"
        f"    doc = await service.documents.create({{ uniqueName: {event}.documentName, data: {{}} }});\n"
        "  }\n"
        f"  const data = {{ ...doc.data, updatedAt: new Date().toISOString(), last: {event}.{rng.choice(['Body', 'From', 'CallSid'])} }};\n"
        "  await service.documents(doc.sid).update({ data });\n"
        f"  return {cb}(null, data);\n"
        "};\n"
    )


SHAPES = [(_shape_sync, 3), (_shape_async, 4), (_shape_then, 3), (_shape_wrapped, 1), (_shape_ivr, 2),
          (_shape_sync_doc, 1)]


def _handler_file(rng: random.Random, what: str, helper: str | None, flex: bool) -> str:
    ctx = rng.choice(["context", "context", "context", "ctx"])
    event = rng.choice(["event", "event", "event", "evt", "req"])
    cb = rng.choice(["callback", "callback", "cb", "done"])
    headers, _ = _header_reads(rng, event) if rng.random() < 0.6 else ("", [])
    if helper is not None and rng.random() < 0.25:
        body = _shape_helper_user(rng, ctx, event, cb, headers, helper)
    else:
        shapes = [(s, w) for s, w in SHAPES if flex or s is not _shape_wrapped]
        shape = rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
        body = shape(rng, ctx, event, cb, headers)
    top = "'use strict';\n\n" if rng.random() < 0.2 else ""
    if rng.random() < 0.5:
        keys = rng.sample(NOUNS, rng.randint(4, 10))
        top += "const MESSAGES = {\n" + "".join(
            f"  {k}: '{rng.choice(['Your', 'The', 'A new'])} {k} {rng.choice(['was updated', 'is ready', 'could not be found', 'has been cancelled'])}. "
            f"{rng.choice(['Reply STOP to unsubscribe.', 'Call us if you have questions.', 'No action is needed.'])}',\n"
            for k in keys) + "};\n\n"
    helpers = _helper_block(rng, rng.randint(2, 9))
    return top + _doc(rng, what) + body + ("\n" + helpers if helpers else "")


# --------------------------------------------------------------------------- project files


def _package_json(rng: random.Random, name: str, flex: bool) -> tuple[str, str | None]:
    deps: dict[str, str] = {"twilio": rng.choice(TWILIO_VERSIONS)}
    r = rng.random()
    handler = None
    if r < 0.55:
        handler = rng.choice(HANDLER_VERSIONS_EXACT)
    elif r < 0.85:
        handler = rng.choice(HANDLER_VERSIONS_LOOSE)
    if handler is not None:
        deps["@twilio/runtime-handler"] = handler
    if flex:  # the projects whose handlers use the Flex TokenValidator wrapper
        deps["twilio-flex-token-validator"] = "^1.5.6"
    if rng.random() < 0.2:
        deps["axios"] = "^1.6.0"
    pkg: dict = {
        "name": name,
        "version": f"{rng.randint(0, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        "private": True,
        "scripts": {"test": "jest", "start": "twilio-run", "deploy": "twilio-run deploy"},
        "dependencies": dict(sorted(deps.items())),
        "devDependencies": {"twilio-run": rng.choice(["^3.5.4", "^4.0.0"]), "jest": "^29.7.0"},
    }
    if rng.random() < 0.25:
        pkg["engines"] = {"node": rng.choice(["18", ">=18", "20", "^20.0.0"])}
    indent = rng.choice([2, 2, 4])
    return json.dumps(pkg, indent=indent) + "\n", handler


def _lockfile(name: str, handler: str) -> str:
    m = re.search(r"\d+\.\d+\.\d+", handler)
    resolved = m.group(0) if m else "2.0.1"
    lock = {
        "name": name,
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": {"name": name, "dependencies": {"@twilio/runtime-handler": handler}},
            "node_modules/@twilio/runtime-handler": {
                "version": resolved,
                "resolved": f"https://registry.npmjs.org/@twilio/runtime-handler/-/runtime-handler-{resolved}.tgz",
            },
        },
    }
    return json.dumps(lock, indent=2) + "\n"


def _serverlessrc(rng: random.Random, name: str, src_layout: bool) -> tuple[str, str]:
    """(file name, text): the extensionless rc is JSON5 (the Toolkit's loader); YAML needs .yml."""
    folders = ""
    if src_layout:
        folders = '  "functionsFolder": "src/functions",\n  "assetsFolder": "src/assets",\n'
    if rng.random() < 0.15:
        out = f"# Serverless Toolkit configuration for {name}\nserviceName: {name}\n"
        if src_layout:
            out += "functionsFolder: src/functions\nassetsFolder: src/assets\n"
        return ".twilioserverlessrc.yml", out + "commands: {}\nenvironments:\n  dev:\n    runtime: node22\n"
    return ".twilioserverlessrc", (
        "{\n"
        "  // Serverless Toolkit configuration; see `twilio serverless --help`.\n"
        + folders
        + '  "commands": {},\n'
        '  "environments": {},\n'
        '  "projects": {},\n'
        + ('  "runtime": "node22",\n' if rng.random() < 0.75 else '  // "runtime": "node22",\n')
        + f"  'serviceName': '{name}-service',\n"
        "}\n"
    )


USED_ENV = ["TWILIO_PHONE_NUMBER", "MY_PHONE_NUMBER", "CALLER_ID", "WORKSPACE_SID", "SYNC_SERVICE_SID"]


def _dotenv(rng: random.Random) -> str:
    lines = ["# Your Twilio credentials; the CLI fills these in on deploy.", "ACCOUNT_SID=", "AUTH_TOKEN=", ""]
    names = list(USED_ENV)  # what the generated handlers read from context
    if rng.random() < 0.15:
        names.remove(rng.choice(names))  # a variable forgotten in .env: a realistic mistake
    names += rng.sample([n for n in ENV_NAMES if n not in USED_ENV], rng.randint(0, 4))
    for name in names:
        if rng.random() < 0.3:
            lines.append(f"# {name.replace('_', ' ').lower()}")
        if name.endswith("_SID"):
            value = name[:2] + "".join(rng.choice("0123456789abcdef") for _ in range(32))
        elif "NUMBER" in name or name == "CALLER_ID":
            value = "+1555" + "".join(rng.choice("0123456789") for _ in range(7))
        else:
            value = rng.choice(['"changeme"', "secret", "10", "en-US", "https://example.com/hook"])
        lines.append(f"{name}={value}")
    return "\n".join(lines) + "\n"


def _project(root: Path, seed: int, index: int, n_js: int) -> list[str]:
    """Writes one project with `n_js` JavaScript files; returns their relative paths."""
    rng = random.Random(f"twilint-synth:{GENERATOR_VERSION}:{seed}:{index}")
    name = f"{rng.choice(AREAS)}-{rng.choice(NOUNS)}-{index:05d}"
    w = _Writer(root)
    src_layout = rng.random() < 0.08
    fdir = "src/functions" if src_layout else "functions"
    adir = "src/assets" if src_layout else "assets"
    flex = rng.random() < 0.4
    pkg, handler = _package_json(rng, name, flex)
    w.add("package.json", pkg)
    if handler is not None and rng.random() < 0.3:
        w.add("package-lock.json", _lockfile(name, handler))
    w.add(*_serverlessrc(rng, name, src_layout))
    w.add(".env", _dotenv(rng))
    w.add(".gitignore", "node_modules\n.env\n.twiliodeployinfo\n")

    js: list[str] = []
    n_assets = min(n_js // 8, 3) if n_js >= 4 else 0
    n_helpers = 1 if n_js - n_assets >= 3 else 0
    helper_name = None
    if n_helpers:
        helper_name = rng.choice(["utils", "helpers", "lib/shared", "common"])
        rel = f"{fdir}/{helper_name}.private.js"
        w.add(rel, _private_helper(rng))
        js.append(rel)
    used = {helper_name} if helper_name else set()
    while len(js) < n_js - n_assets:
        area = rng.choice(AREAS)
        stem = f"{rng.choice(VERBS)}-{rng.choice(NOUNS)}"
        nested = rng.random() < 0.5
        vis = rng.choices(["", ".protected", ".private"], weights=[5, 4, 1])[0]
        url = f"{area}/{stem}" if nested else stem  # the URL path: visibility suffixes do not change it
        if url in used:
            continue
        used.add(url)
        rel = f"{fdir}/{url}{vis}.js"
        w.add(rel, _handler_file(rng, f"{stem.replace('-', ' ').capitalize()} ({area}).", helper_name, flex))
        js.append(rel)
    for i in range(n_assets):
        if i == 0:
            rel = f"{adir}/index.js"
            w.add(rel, _asset_client(rng))
        elif i == 1:
            rel = f"{adir}/config.private.js"
            w.add(rel, _asset_private(rng))
        else:
            rel = f"{adir}/app-{i}.js"
            w.add(rel, _asset_client(rng))
        js.append(rel)
    if n_assets:
        w.add(f"{adir}/index.html", "<!doctype html>\n<html><head><title>%s</title><link rel=\"stylesheet\" href=\"style.css\">"
              "</head>\n<body><form id=\"form\"><input name=\"To\"><button>Send</button></form><p id=\"status\"></p>"
              "<script src=\"index.js\"></script></body></html>\n" % name)
        w.add(f"{adir}/style.css", "body { font-family: sans-serif; margin: 2rem; }\n#status { color: #555; }\n")
    w.flush()
    return js


def generate(out: Path, files: int, projects: int | None = None, seed: int = 0) -> list[Path]:
    """Writes the fleet into `out` (created; must be empty or absent). Returns the JS files written."""
    if files < 1:
        raise ValueError("--files must be at least 1")
    if projects is None:
        projects = max(1, math.ceil(files / FILES_PER_PROJECT))
    projects = max(1, min(projects, files))
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    base, extra = divmod(files, projects)
    written: list[Path] = []
    width = max(4, len(str(projects)))
    for i in range(projects):
        n = base + (1 if i < extra else 0)
        proot = out / f"project-{i:0{width}d}"
        written.extend(proot / rel for rel in _project(proot, seed, i, n))
    manifest = {"generator": GENERATOR_VERSION, "files": files, "projects": projects, "seed": seed,
                "js_files": [str(p.relative_to(out)) for p in written]}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=0) + "\n", encoding="utf-8")
    return written


def cached_fleet(cache: Path, files: int, projects: int | None = None, seed: int = 0) -> tuple[Path, list[Path]]:
    """The fleet for these arguments under `cache`, generated on first use."""
    if projects is None:
        projects = max(1, math.ceil(files / FILES_PER_PROJECT))
    out = Path(cache) / f"synth-v{GENERATOR_VERSION}-f{files}-p{projects}-s{seed}"
    manifest = out / MANIFEST
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return out, [out / rel for rel in data["js_files"]]
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    generate(tmp, files, projects, seed)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return out, [out / rel for rel in data["js_files"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="output folder (created; must be empty)")
    ap.add_argument("--files", type=int, default=100, help="JavaScript files in total (default 100)")
    ap.add_argument("--projects", type=int, default=None,
                    help=f"projects to spread them over (default: one per {FILES_PER_PROJECT} files)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    try:
        written = generate(args.out, args.files, args.projects, args.seed)
    except (ValueError, FileExistsError) as exc:
        print(f"synth: error: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in written)
    n_proj = len({p.relative_to(args.out).parts[0] for p in written})
    print(f"wrote {len(written)} JavaScript files ({size / 1e6:.2f} MB) in {n_proj} projects under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
