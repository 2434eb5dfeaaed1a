"""Precision and recall of `nlp.identifiers.extract` on a deterministic, labelled set of UK prose.

Seeded Faker en_GB values (and seeded values built to the published formats where Faker's are not
real: VRMs, NI numbers) go into varied sentence templates next to distractors: dates, amounts,
times, order and reference numbers, version numbers and invalid look-alikes. Then the forms people
write (issue #14): every Ofcom drama range in a dozen layouts (area codes in parentheses, 00 44,
no-break spaces), DVLA marks after a make and model, without the space, in lower-case text messages
and dateless after a registration label, NI numbers in tables and lists; in lists, tables, call and
ANPR records and signatures, beside model names, roads, hashes, booking references and text-speak
that look like marks. Expected normal forms are computed here from how each value was built, not by
the rules under test. Prints JSON; `--no-forms` runs the original sentences alone.

    .venv/bin/python bench/identifier_quality.py [--seed N] [--per-label N] [--errors] [--no-forms]
"""

import argparse
import ipaddress
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nlp.identifiers import extract

T = TypeVar("T")
Value = tuple[str, str]  # (surface, expected normal form)


@dataclass
class Example:
    text: str = ""
    gold: list[tuple[str, int, int, str]] = field(default_factory=list)  # label, start, end, value


# ---------------------------------------------------------------- identifier values, by label


class Values:
    def __init__(self, seed: int) -> None:
        self.f = Faker("en_GB")
        self.f.seed_instance(seed)
        self.r = random.Random(seed)
        self.words = Faker("en_US")  # its lorem is English words; en_GB's is Latin
        self.words.seed_instance(seed)
        self.ibans = {loc: Faker(loc) for loc in ("de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "en_IE")}
        for i, fk in enumerate(self.ibans.values()):
            fk.seed_instance(seed + i + 1)

    def pick(self, options: Sequence[T]) -> T:
        return self.r.choice(options)

    # PHONE: Faker en_GB numbers are (mostly) Ofcom drama numbers in a dozen layouts.
    def phone(self) -> Value:
        while True:
            surface = self.f.cellphone_number() if self.r.random() < 0.45 else self.f.phone_number()
            national = _national(surface)
            if len(national) == 10:  # Faker also makes 9-digit 028/029 numbers: not numbers at all
                break
        if self.r.random() < 0.25:  # layouts Faker does not write
            n = national
            surface = self.pick([f"0{n[:4]} {n[4:]}", f"0{n[:4]}-{n[4:7]}-{n[7:]}", f"0044 {n[:4]} {n[4:]}",
                                 f"+44 (0) {n[:4]} {n[4:7]} {n[7:]}", f"+44 {n[:3]} {n[3:6]} {n[6:]}"])
        return surface, "+44" + national

    def email(self) -> Value:
        address = self.pick([self.f.email, self.f.free_email, self.f.company_email, self.f.ascii_safe_email,
                             lambda: f"{self.f.user_name()}+{self.f.word()}@mail.{self.f.domain_name()}"])()
        surface = address
        if self.r.random() < 0.15:
            local, host = address.split("@")
            surface = f"{local.title()}@{host.upper() if self.r.random() < 0.5 else host.title()}"
        return surface, address.lower()

    def email_upper(self) -> Value:
        surface, value = self.email()
        return surface.upper(), value

    def url(self) -> Value:
        kind = self.r.random()
        if kind < 0.3:
            surface = self.f.url()
        elif kind < 0.4:
            surface = f"{self.f.url()}search?q={self.f.word()}&page={self.r.randint(1, 9)}"
        elif kind < 0.75:
            surface = self.f.uri()
        else:
            surface = f"www.{self.f.domain_name()}" + self.pick(["", f"/{self.f.uri_path()}", "/contact"])
        full = surface if "://" in surface else "http://" + surface
        scheme, rest = full.split("://", 1)
        host, _, path = rest.partition("/")
        path = "/" + path if path else ""
        return surface, f"{scheme}://{host.lower()}{'' if path == '/' else path}"

    def domain(self) -> Value:
        name = self.f.domain_name(self.pick([1, 1, 1, 2]))
        surface = name.capitalize() if self.r.random() < 0.1 else name
        return surface, name.lower()

    def vrm(self) -> Value:
        kind = self.r.random()
        letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q
        if kind < 0.7:
            tag = self.pick("ABCDEFGHKLMNOPRSVWY") + self.pick("ABCDEFGHJKLMNOPRSTUVWXY")
            age = f"{self.pick(list(range(2, 25)) + list(range(51, 75))):02d}"
            rand = "".join(self.pick(letters) for _ in range(3))
            parts = (tag + age, rand)
        elif kind < 0.85:
            parts = (self.pick("ABCDEFGHJKLMNPRSTVWXY") + str(self.r.randint(1, 999)),
                     "".join(self.pick(letters[:-1]) for _ in range(3)))
        else:
            parts = ("".join(self.pick(letters[:-1]) for _ in range(3)),
                     str(self.r.randint(1, 999)) + self.pick("ABCDEFGHJKLMNPRSTVWXY"))
        sep = "" if self.r.random() < 0.2 else " "
        return sep.join(parts), "".join(parts)

    def vrm_texted(self) -> Value:
        surface, value = self.vrm()
        return surface.lower(), value

    def postcode(self) -> Value:
        code = self.f.postcode()
        value = f"{code.replace(' ', '')[:-3]} {code.replace(' ', '')[-3:]}"
        kind = self.r.random()
        surface = code.replace(" ", "") if kind < 0.1 else code.lower() if kind < 0.15 else code
        return surface, value

    def nino(self) -> Value:
        first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
        while (prefix := self.pick(first) + self.pick(second)) in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            pass
        digits, suffix = self.f.numerify("######"), self.pick("ABCD")
        surface = self.pick([
            f"{prefix}{digits}{suffix}".lower(),
            f"{prefix}{digits}{suffix}",
            f"{prefix}{digits}{suffix}",
            f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}",
            f"{prefix} {digits} {suffix}",
        ])
        return surface, prefix + digits + suffix

    def iban(self) -> Value:
        faker = self.f if self.r.random() < 0.55 else self.ibans[self.pick(list(self.ibans))]
        compact = faker.iban()
        grouped = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
        return (grouped if self.r.random() < 0.5 else compact), compact

    def sort_code(self) -> str:
        return self.f.numerify("##-##-##")

    def dashed_sort_code(self) -> str:  # word processors turn hyphens into en dashes
        return self.f.numerify("##\u2013##\u2013##")

    def spaced_sort_code(self) -> str:
        return self.f.numerify("## ## ##")

    def bare_sort_code(self) -> Value:
        code = self.sort_code()
        return code, code

    def account(self) -> str:
        return self.f.numerify("########")

    def ip(self) -> Value:
        kind = self.r.random()
        if kind < 0.45:
            surface = self.f.ipv4_public()
        elif kind < 0.7:
            surface = self.f.ipv4_private()
        else:
            surface = self.f.ipv6()
            if self.r.random() < 0.3:
                surface = ipaddress.IPv6Address(surface).exploded.upper()
        return surface, ipaddress.ip_address(surface).compressed

    def ip_port(self) -> Value:
        surface, value = self.ip()
        return (f"[{surface}]" if ":" in surface else surface), value

    def crime_ref(self) -> Value:
        prefix = self.pick(["CAD", "CAD", "CAD", "CRIS", "CR"])
        number = str(self.r.randint(1, 9999)) if prefix == "CAD" else self.f.numerify("%######")
        year = f"{self.r.randint(15, 26):02d}"
        layout = self.pick(["{p} {n}/{y}", "{p} {n}/{y}", "{p}{n}/{y}", "{p} No. {n}/{y}"])
        return layout.format(p=prefix, n=number, y=year), f"{prefix} {number}/{year}"


def _national(phone: str) -> str:
    digits = re.sub(r"\D", "", phone.replace("(0)", ""))
    return digits[2:] if phone.startswith("+44") else digits[1:]


# ---------------------------------------------------------------- fillers and distractors


class Fill:
    def __init__(self, v: Values) -> None:
        self.v, self.f, self.r = v, v.f, v.r

    def text(self, key: str) -> str:
        return getattr(self, key)()

    def name(self) -> str:
        return self.f.name()

    def street(self) -> str:
        return self.f.street_address().replace("\n", ", ")

    def city(self) -> str:
        return self.f.city()

    def company(self) -> str:
        return self.f.company()

    def date(self) -> str:
        d = self.f.date_between("-3y", "today")
        return d.strftime(self.v.pick(["%d/%m/%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%Y", "%-d %B %Y", "%Y-%m-%d"]))

    def time(self) -> str:
        return self.f.time(self.v.pick(["%H:%M", "%H:%M:%S", "%H%M hrs", "%-I.%M%p"])).lower()

    def amount(self) -> str:
        return self.v.pick(["£{:,.2f}", "£{:,.0f}", "€{:,.2f}", "${:,.2f}"]).format(self.r.uniform(5, 250000))

    def order(self) -> str:
        return self.v.pick(["ORD-{}", "{}", "#{}", "PO{}", "INV-2024-{}"]).format(self.f.numerify("%#####"))

    def order8(self) -> str:
        return self.f.numerify("%#######")

    def version(self) -> str:
        return self.v.pick(["{}.{}.{}", "v{}.{}.{}", "{}.{}"]).format(*(self.r.randint(0, 20) for _ in range(3)))

    def ref(self) -> str:
        return self.v.pick(["{}/{}/24", "KX-{}-{}", "{}-{}", "JOB {}/{}"]).format(
            self.f.lexify("??").upper() if self.r.random() < 0.5 else self.r.randint(1, 99), self.r.randint(100, 9999))

    def exhibit(self) -> str:
        return f"{self.f.lexify('??').upper()}/{self.r.randint(1, 40)}"

    def colour(self) -> str:
        return self.v.pick(["silver", "black", "white", "dark blue", "red", "grey", "green"])

    def make(self) -> str:
        return self.v.pick(["Ford Focus", "Vauxhall Corsa", "BMW 3 Series", "Audi A3", "VW Golf", "Nissan Qashqai",
                            "Toyota Prius", "Mercedes Sprinter van", "Transit van"])

    def road(self) -> str:
        return self.v.pick(["M1", "M25", "A406", "A1(M)", "M62", "A38"])

    def bank(self) -> str:
        return self.v.pick(["Barclays", "NatWest", "Lloyds", "HSBC", "Santander", "Nationwide", "Monzo"])

    def bic(self) -> str:
        return self.f.swift8()

    def bad_nino(self) -> str:
        return self.v.pick(["BG 12 34 56 C", "QQ123456C", "GB 123456 A", "ZZ 87 83 10 T", "DA123456A", "NT654321B",
                            "AB123456E", "KN 98 76 54 D", "AO 12 34 56 B"])

    def bad_iban(self) -> str:
        good, _ = self.v.iban()
        i = self.r.choice([k for k, c in enumerate(good) if c.isdigit() and k > 4])
        return good[:i] + str((int(good[i]) + self.r.randint(1, 9)) % 10) + good[i + 1:]

    def bad_phone(self) -> str:
        return self.v.pick(["07700 90012", "0117 496 01234", "(028) 9018 " + self.f.numerify("###"),
                            "(029) 2018 " + self.f.numerify("###"), "07700 9001234", "+44 (0)20 7946 001"])

    def bad_ip(self) -> str:
        return self.v.pick(["256.10.1.1", "10.0.0", "1.2.3.4.5", "192.168.1.300", "999.1.1.1"])

    def bad_email(self) -> str:
        return self.v.pick(["admin@localhost", f"{self.f.user_name()}@server.local", f"{self.f.user_name()}@intranet",
                            "user@@example.com"])

    def bad_vrm(self) -> str:
        return self.v.pick(["AB49 CDE", "XY12 ABC", "QI12 ABC", "AB99 CDE", "IZ21 BCD", "AB00 CDE"])

    def bad_postcode(self) -> str:
        return self.v.pick(["QV1 1AA", "AB1 1CI", "XX12 3AB", "SW1A 1AM", "ZZ9 9ZZ", "EC1A 1BC"])

    def prose(self) -> str:
        return self.v.words.paragraph(nb_sentences=4)

    def prose_upper(self) -> str:
        w = self.v.words
        return f"{w.sentence(nb_words=12)} {self.r.randint(2, 99)} {w.sentence()}".upper()

    def street_upper(self) -> str:
        return self.street().upper()

    def city_upper(self) -> str:
        return self.city().upper()

    def nhs(self) -> str:
        return self.f.numerify("### ### ####")

    def card(self) -> str:
        return self.f.numerify("####")

    def card_full(self) -> str:
        return self.f.credit_card_number()

    def vat(self) -> str:
        return self.f.numerify("### #### ##")

    def file(self) -> str:
        return self.v.pick(["report.pdf", "notes.md", "main.py", "invoice_0042.xlsx", "statement.docx", "run.sh"])


# ---------------------------------------------------------------- templates

TEMPLATES: dict[str, list[str]] = {
    "PHONE": [
        "Switchboard {PHONE} ext. 214, or my direct line T:{PHONE}.",
        "Numbers on the seized SIM: {PHONE}/{PHONE}.",
        "CALL ME ON {PHONE} ASAP",
        "Mob: {PHONE}\nHome: {PHONE}",
        "the number she gave was {PHONE} but it went straight to voicemail",
        "{name} rang the control room from {PHONE} at {time} on {date}.",
        "Please call me back on {PHONE}, I'm free after {time}.",
        "The subscriber check for {PHONE} came back to {name} of {street}, {city}.",
        "Call data shows {PHONE} contacted the suspect fourteen times between {date} and {date}.",
        "If you have any questions about order {order}, ring us on {PHONE}.",
        "{name}'s mobile ({PHONE}) was seized at {time} and bagged as exhibit {exhibit}.",
        "Tel. {PHONE} | Fax {PHONE}",
        "She texted {PHONE} to say the {amount} had been paid.",
        "Witness states she received two calls from {PHONE}, the second at {time}.",
        "{company}\n{street}\n{city}\nTelephone: {PHONE}",
    ],
    "EMAIL": [
        "EMAIL: {EMAIL_UPPER}",
        "Account holder: {name} ({EMAIL}); last login {date} {time}.",
        "Invoices were sent from {EMAIL} to the finance team on {date}.",
        "From: {name} <{EMAIL}>\nSent: {date} {time}\nSubject: Payment of {amount}",
        "He registered the account using the address {EMAIL}, according to the provider.",
        "Reply to {EMAIL} quoting reference {ref}.",
        "You can reach me at {EMAIL} or on {PHONE}.",
        "The phishing page carried a mailto:{EMAIL} link in its footer.",
        "Password reset requests for {EMAIL} were made at {time} and again on {date}.",
        "The contract lists {EMAIL} as the contact for {company}.",
    ],
    "URL": [
        "The listing (see {URL}) offered the watch for {amount}.",
        "Links found in the chat: {URL} and {URL}",
        "The advert was posted at {URL} on {date}.",
        "Screenshots of {URL} were exhibited as {exhibit}.",
        "See {URL} for the company's terms.",
        "The victim was directed to {URL}, which has since been taken down.",
        "Browser history shows visits to {URL} at {time} (about forty minutes in all).",
        "Archived copy: {URL}",
        "He sent her a link, {URL}, and asked for {amount} in gift cards.",
    ],
    "DOMAIN": [
        "The fake invoice asked for payment to be confirmed at '{DOMAIN}'.",
        "All of the phishing links pointed to {DOMAIN}.",
        "Mail for {DOMAIN}'s users was routed through a server in {city}.",
        "The domain {DOMAIN} was registered on {date} using a privacy service.",
        "Emails purporting to come from {DOMAIN} asked staff to change bank details.",
        "WHOIS records for {DOMAIN} list {name} as the registrant.",
        "The company trades online as {DOMAIN} and from a unit in {city}.",
        "Staff were told to block {DOMAIN} after the incident on {date}.",
        "Both look-alike sites, {DOMAIN} and {DOMAIN}, were hosted by the same provider.",
    ],
    "VRM": [
        "VRM: {VRM}. Keeper details requested from DVLA on {date}.",
        "Text message at {time}: m8 the motor is {VRM_TEXTED} just parked up outside",
        "Index {VRM} was seen on CCTV near {street} at {time}.",
        "A {colour} {make}, registration {VRM}, was seen leaving {street} at {time}.",
        "ANPR placed {VRM} on the {road} at {time} on {date}.",
        "The car ({VRM}) is registered to {name} of {city}.",
        "{VRM} was parked outside the address for most of the afternoon.",
        "Officers stopped the {make}, {VRM}, at the junction with {street}.",
        "DVLA checks show {VRM} changed keeper on {date}.",
        "I saw a {colour} car, I think it was {VRM}, drive off quickly towards {city}.",
        "Vehicle: {VRM} ({colour} {make})",
        "A parking ticket was issued to {VRM} on {date} for {amount}.",
    ],
    "POSTCODE": [
        "Postcode searched: {POSTCODE} (no trace).",
        "{name} lives at {street}, {city} {POSTCODE}.",
        "Deliveries were addressed to {street}, {city}, {POSTCODE}.",
        "The phone was last connected to a mast near {POSTCODE} at {time}.",
        "Registered office: {company}, {street}, {city}, {POSTCODE}",
        "A search warrant was executed at an address in {POSTCODE} on {date}.",
        "{company}\n{street}\n{city}\n{POSTCODE}",
        "She moved from {POSTCODE} to {POSTCODE} in the spring.",
    ],
    "NINO": [
        "Employee: {name}\nNI number: {NINO}\nStart date: {date}",
        "Her National Insurance number is {NINO}.",
        "NI No: {NINO}",
        "Payslips in the name of {name} (NINO {NINO}) show payments of {amount}.",
        "HMRC confirmed {NINO} belongs to {name}, born {date}.",
        "The claim was made using the national insurance number {NINO} and a bank account in {city}.",
        "{name}, {NINO}, {street}, {city}",
        "Two claims used {NINO}; the second was made on {date}.",
    ],
    "IBAN": [
        "Funds of {amount} were transferred to IBAN {IBAN} on {date}.",
        "Please pay {amount} to {company}, IBAN: {IBAN}, quoting invoice {order}.",
        "The beneficiary account {IBAN} is held at a bank in {city}.",
        "Bank details changed to {IBAN} in an email dated {date}.",
        "IBAN {IBAN}\nBIC {bic}",
        "The transfer to {IBAN} was recalled at {time}.",
    ],
    "SORTCODE_ACCOUNT": [
        "Beneficiary: {name}, sort code {DSC}, account number {ACC}",
        "Pay {amount} to a/c {ACC} s/c {SC} before {date}.",
        "Sort code {SSC}, account {ACC}, reference {ref}.",
        "Details were sent by text: {name}\n{SC}\n{ACC}",
        "Payment was made to sort code {SC}, account number {ACC}.",
        "Account {ACC}, sort code {SC}, in the name of {name}.",
        "Bank: {bank}\nSort code: {SC}\nAccount no: {ACC}",
        "{name} asked for the {amount} to go to {SC} {ACC}.",
        "Statement for account {ACC} (sort code {SC}) covering {date} to {date}.",
        "The mule account, {SC} / {ACC}, received three payments that week.",
        "Please send it to my {bank} account {SC} {ACC} by {date}.",
    ],
    "SORTCODE": [
        "Her sort code is {SORTCODE} but she could not remember the account number.",
        "The {bank} branch (sort code {SORTCODE}) confirmed it had closed in {date}.",
        "A second payment went to a different account at sort code {SORTCODE}.",
        "Sort code: {SORTCODE}",
    ],
    "IP": [
        "The range {IP}/24 was allocated to the hosting company in {date}.",
        "The admin panel was reached at {IP_PORT}:8080 on {date}.",
        "Log line: {date} {time} GET /login 200 from {IP}",
        "The login on {date} at {time} came from IP address {IP}.",
        "Router logs list {IP} as the device's address.",
        "Subscriber details were requested for {IP} at {time} UTC.",
        "Connections from {IP} and {IP} were blocked by the firewall.",
        "The server at {IP} hosted the phishing kit.",
        "Source: {IP}, port 443, {date} {time}",
    ],
    "CRIME_REF": [
        "Log {CRIME_REF} refers; officers were on scene at {time}.",
        "Reported to police under {CRIME_REF} on {date}.",
        "Please quote {CRIME_REF} in any correspondence.",
        "Officers attended (ref {CRIME_REF}) at {time}.",
        "Linked incident: {CRIME_REF}, a burglary at {street}.",
        "The original log, {CRIME_REF}, was closed on {date} with no further action.",
    ],
}

# Slots that write a label's value another way.
ALIASES = {"VRM_TEXTED": "VRM", "IP_PORT": "IP", "EMAIL_UPPER": "EMAIL"}

DISTRACTORS: list[str] = [
    "The meeting on {date} at {time} agreed a budget of {amount}.",
    "Order {order} was dispatched on {date} and delivered by {time}.",
    "Software version {version} was installed on the laptop on {date}.",
    "Invoice {order} for {amount} has been overdue since {date}.",
    "The attached {file} runs to 40 pages; see also {file}.",
    "He said he would pay back {amount} by {date}, e.g. in two instalments.",
    "Tracking number {order8} shows the parcel left the depot at {time}.",
    "On {date} order {order8} was placed for {amount}.",
    "Our ref {ref}; your ref {ref}. Received {date} at {time}.",
    "The NI number given, {bad_nino}, is not in a valid format.",
    "The IBAN supplied ({bad_iban}) failed validation at the bank.",
    "The number written on the note, {bad_phone}, cannot be dialled.",
    "The log shows {bad_ip}, which is not a usable address.",
    "Mail to {bad_email} bounced on {date}.",
    "The plate {bad_vrm} does not exist according to DVLA.",
    "The address ended {bad_postcode}, which is not a real postcode.",
    "Batch 23-45-67 was produced on {date} and shipped in {order8} cartons.",
    "Firmware build {version}.4 was flagged by the vendor on {date}.",
    "Case {ref} was adjourned to {date} at {time} for {amount} costs.",
    "Item {exhibit} was booked in at {time}; weight 1.25kg, value {amount}.",
    "User agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.129 Safari/537.36",
    "NHS number {nhs}, seen at the walk-in centre on {date} at {time}.",
    "The card ending {card} was declined; the full number {card_full} was on the receipt.",
    "{company} Ltd, company number {order8}, VAT reg GB {vat}.",
    "{date} {order8} CARD PAYMENT TESCO STORES {amount}",
    "Grid reference SK 123 456 marks the spot where the bag was found.",
    "He arrived at {time}.it was dark and she couldn't see his face.",
    "She said no.he said yes, then left at {time} on {date}.",
    "Flight BA {order} landed at {time}; gate 12, stand 4.",
    "Meter reading {order8} taken on {date}; tariff 24.5p per kWh.",
    "Population 1,234,567 in 2021; growth of 2.5% on the 2011 figure.",
    "Exhibit list: {exhibit}, {exhibit}, {exhibit}; seals 0012345, 0012346.",
    "ISBN 978-0-306-40615-7, published {date}, price {amount}.",
    "The phone was located at 51.5072, -0.1276 at {time} on {date}.",
    "Python 3.11.7 and OpenSSL 3.0.13 were installed on the server.",
    "Serial number SN: A1B2C3D4E5, tax code 1257L, PO Box 1234.",
    "Order no. 12-34-56 was cancelled on {date}; refund of {amount} due.",
    "Statement 12/03/24: opening balance {amount}; closing balance {amount}.",
    "Interviewed under caution at {time} on {date} (s.18 PACE search authorised).",
    "{prose}",
    "{prose_upper}",
    "DELIVER TO: {street_upper}, {city_upper}. LEAVE WITH NO. {order} IF OUT.",
]


# ---------------------------------------------------------------- forms people write (issue #14)

# Ofcom's numbers reserved for TV, radio and fiction, written as people write them nationally; each
# range is the 1,000 numbers ending ###. Every geographic range, and the mobile, freephone, premium
# and 03 ranges. Faker's own list puts Tyneside, London and Northern Ireland in the wrong ranges.
OFCOM_DRAMA = (
    "0113 496 0###", "0114 496 0###", "0115 496 0###", "0116 496 0###", "0117 496 0###", "0118 496 0###",
    "0121 496 0###", "0131 496 0###", "0141 496 0###", "0151 496 0###", "0161 496 0###",
    "020 7946 0###", "0191 498 0###", "028 9649 6###", "029 2018 0###", "01632 960 ###",
    "07700 900 ###", "0808 157 0###", "0909 879 0###", "0306 999 0###",
)
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # DVLA never uses I or Q
NBSP = "\u00a0"                             # HTML mail (&nbsp;) and word processors keep groups together


class Forms:
    """Values in the layouts people type, and the look-alikes that sit beside them."""

    def __init__(self, v: Values) -> None:
        self.v, self.f, self.r = v, v.f, v.r

    def drama(self) -> Value:
        national = self.f.numerify(self.v.pick(OFCOM_DRAMA))
        area, *local = national.split(" ")
        digits, rest, grouped = national.replace(" ", ""), "".join(local), " ".join(local)
        layouts = [
            national, national, f"{area} {rest}", digits, f"({area}) {grouped}", f"({area}) {grouped}",
            f"({area}){rest}", "-".join([area, *local]), "+44" + digits[1:],
            f"+44 {area[1:]} {grouped}", f"+44 (0){area[1:]} {grouped}", f"+44 (0) {area[1:]} {grouped}",
            f"00 44 {area[1:]} {grouped}", f"0044 {area[1:]} {grouped}", f"00 44 (0) {area[1:]} {grouped}",
            "0044" + digits[1:],
        ]
        if area == "020":  # London numbers are still often grouped as 0207 / 0208
            old = f"0{digits[1:4]} {digits[4:7]} {digits[7:]}"
            layouts += [old, f"({old[:4]}){old[4:]}"]
        surface = self.v.pick(layouts)
        if self.r.random() < 0.1:
            surface = surface.replace(" ", NBSP)
        return surface, "+44" + digits[1:]

    def drama_compact(self) -> Value:  # call data exports
        _, value = self.drama()
        return self.v.pick(["0" + value[3:], value]), value

    def plate(self) -> Value:
        surface, value = self.v.vrm()
        kind = self.r.random()
        if kind < 0.2:
            surface = value
        elif kind < 0.28 and " " in surface:
            surface = surface.replace(" ", NBSP)
        return surface, value

    def plate_compact(self) -> Value:
        _, value = self.v.vrm()
        return value, value

    def plate_texted(self) -> Value:
        surface, value = self.plate()
        return surface.lower(), value

    def dateless(self) -> Value:
        """Before 1963: one to three letters and up to four digits (up to three with three letters),
        either way round ('ABC 123', '1234 AB', 'K 9')."""
        letters = "".join(self.v.pick(PLATE_LETTERS[:-1]) for _ in range(self.r.randint(1, 3)))
        number = str(self.r.randint(1, 999 if len(letters) == 3 else 9999))
        parts = (letters, number) if self.r.random() < 0.6 else (number, letters)
        return (" ".join(parts) if self.r.random() < 0.85 else "".join(parts)), "".join(parts)

    def nino(self) -> Value:
        _, value = self.v.nino()
        p, d, s = value[:2], value[2:8], value[8]
        surface = self.v.pick([
            f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}", f"{p}{d}{s}", f"{p} {d} {s}", f"{p}-{d[:2]}-{d[2:4]}-{d[4:]}-{s}",
            f"{p}{d} {s}", f"{p} {d[:2]} {d[2:4]} {d[4:]}{s}",
            NBSP.join([p, d[:2], d[2:4], d[4:], s]),
        ])
        return surface, value

    def nino_texted(self) -> Value:
        surface, value = self.nino()
        return surface.lower(), value

    def postcode(self) -> Value:
        surface, value = self.v.postcode()
        return (surface.replace(" ", NBSP) if self.r.random() < 0.3 else surface), value

    # fillers and look-alikes

    def first(self) -> str:
        return self.f.first_name()

    def model(self) -> str:
        return self.v.pick(["focus", "golf", "corsa", "astra", "fiesta", "bmw", "merc", "transit", "audi", "van"])

    def isodate(self) -> str:
        return self.f.date_between("-3y", "today").isoformat()

    def time24(self) -> str:
        return self.f.time("%H:%M:%S")

    def secs(self) -> str:
        return str(self.r.randint(0, 3600))

    def camera(self) -> str:
        return self.f.bothify("CAM-####") if self.r.random() < 0.5 else self.f.bothify("??-####").upper()

    def model_name(self) -> str:  # model names that look like dateless marks
        return self.v.pick(["Audi A3 S line", "BMW X5 M Sport", "Mercedes C 220 CDI", "Volvo V40 D2", "VW Golf GTI",
                            "Mercedes E 300", "BMW 320d M Sport", "Peugeot 208 GT", "Audi Q5 S line"])

    def bad_plate(self) -> str:
        return self.v.pick(["TY03 PVA", "TY03PVA", "UK12 ABC", "IZ21 BCD", "QA12 BCD", "AB49 CDE", "ZX65 ABC",
                            "JB07 MKL"])

    def bad_drama(self) -> str:
        return self.v.pick(["07700 90012", "0113 496 012", "020 7946 012", "(0113) 496 01234", "+44 7700 9001",
                            "(07700) 900 12", "00 44 20 7946 01", "0161 496 00"])

    def bad_nino_form(self) -> str:
        return self.v.pick(["QQ 12 34 56 C", "TN 12 34 56 A", "AB 12 34 56", "AB123456E", "NK 12 34 56 B",
                            "ab123456", "FY 12 34 56 A"])

    def pnr(self) -> str:
        return "".join(self.v.pick("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))

    def sha7(self) -> str:
        return "".join(self.v.pick("0123456789abcdef") for _ in range(7))

    def texting(self) -> str:
        return self.v.pick([
            "b4 the match at 3 pm m8, meet by the a4 car park", "pm10 the levels were bad today",
            "gr8 night, ur a legend",
            "get the 5 pm bus, the m25 is shut", "covid19 test came back neg", "u ok? got 2 go at 10 am",
            "room b12 on floor 3, bring ur id", "she's in yr10 the school said", "on the a38 by j5 now",
            "my mp3 player died lol", "cu at 8 pm, the w4 one", "ring me b4 10 ok", "im in se15 lol",
            "meet u in nw10 tmr x", "ls11 aye, by the station", "the m62 was shut so i got the a58 home",
        ])

    def hours(self) -> str:
        return self.v.pick(["0900-1730", "0830–1700", "08:00-18:00", "0900 - 1700"])


FORM_TEMPLATES: dict[str, list[str]] = {
    "PHONE": [
        "Call me on {DRAMA} (mobile) or {DRAMA} (office).",
        "{name} ({DRAMA}) said she would ring back after {time}.",
        "Numbers saved in the handset: {DRAMA}, {DRAMA}, {DRAMA} and {DRAMA}.",
        "Numbers called:\n- {DRAMA}\n- {DRAMA}\n- {DRAMA}",
        "1. {DRAMA}\n2. {DRAMA}\n3. {DRAMA}",
        "| Name | Number | First seen |\n|---|---|---|\n| {name} | {DRAMA} | {date} |\n| {name} | {DRAMA} | {date} |",
        "{name}\t{DRAMA}\t{date}",
        "{isodate} {time24},{DRAMA_COMPACT},{DRAMA_COMPACT},{secs}",
        "Kind regards,\n\n{name}\n{company}\nT: {DRAMA} | M: {DRAMA}\nE: {EMAIL}",
        "{name}\nDirect dial: {DRAMA}\nMobile: {DRAMA}\n{street}, {city} {POSTCODE_FORM}",
        "ring me on {DRAMA} when ur free x",
        "new number is {DRAMA} save it",
        "its {first} here, this is my work phone {DRAMA} dont give it out",
        "[{time}] {first}: call {DRAMA} now",
        "Phone (home): {DRAMA}; phone (work): {DRAMA}.",
        "{DRAMA} / {DRAMA}",
    ],
    "VRM": [
        "A {colour} {make} {PLATE} was seen on {street} at {time}.",
        "{make} {PLATE} parked outside {street}.",
        "The {make} ({PLATE}) belongs to {name}.",
        "Vehicles linked to the address: {PLATE}, {PLATE} and {PLATE}.",
        "| VRM | Make | Colour |\n|---|---|---|\n| {PLATE} | {make} | {colour} |\n| {PLATE} | {make} | {colour} |",
        "{isodate} {time24},{camera},{PLATE_COMPACT},{road}",
        "m8 {PLATE_TEXTED} is outside again",
        "that {colour} {model} {PLATE_TEXTED} just went past",
        "seen {PLATE_TEXTED} down the high st",
        "reg is {PLATE_TEXTED}",
        "Registration: {DATELESS}",
        "{name} drives a {make} on the private plate {DATELESS}.",
        "reg no. {DATELESS} ({colour} {make})",
        "The cherished plate {DATELESS} was transferred on {date}.",
        "VRM {DATELESS}, {colour} {make}",
    ],
    "NINO": [
        "| Name | NI number | DOB |\n|---|---|---|\n| {name} | {NINO_FORM} | {date} |",
        "NI numbers used on the claims: {NINO_FORM}, {NINO_FORM} and {NINO_FORM}.",
        "National Insurance No.: {NINO_FORM}",
        "NINO:{NINO_FORM}",
        "my ni number is {NINO_TEXTED} if u need it",
        "{name} (NI {NINO_FORM}) was paid {amount} on {date}.",
        "{name}\t{NINO_FORM}\t{date}",
        "Name: {name}\nDate of birth: {date}\nNI number: {NINO_FORM}\nPostcode: {POSTCODE_FORM}",
    ],
}

FORM_DISTRACTORS: list[str] = [
    "{isodate} {time24},{amount},{order8},{secs}",
    "Seen at {time}, {time} and {time}; dates {date}, {date}.",
    "{texting}",
    "{texting}",
    "A {colour} {model_name} was parked on the drive.",
    "{name} part-exchanged a {model_name} in {date}.",
    "The plate {bad_plate} is not a valid DVLA mark.",
    "The number {bad_drama} is a digit out.",
    "The NI number {bad_nino_form} is not one HMRC would issue.",
    "Booking reference {pnr}, flight BA{card} on {date}.",
    "Fixed in commit {sha7} ({date}).",
    "Tax code 1257L, payroll no {order8}, paid {amount}.",
    "Opening hours {hours}, Monday to Friday.",
    "Our ref {ref}; exhibit {exhibit}; {amount} seized at {time}.",
]

FORM_ALIASES = {"DRAMA": "PHONE", "DRAMA_COMPACT": "PHONE", "PLATE": "VRM", "PLATE_COMPACT": "VRM",
                "PLATE_TEXTED": "VRM", "DATELESS": "VRM", "NINO_FORM": "NINO", "NINO_TEXTED": "NINO",
                "POSTCODE_FORM": "POSTCODE"}


# ---------------------------------------------------------------- build and score


def build(template: str, v: Values, fill: Fill, forms: Forms) -> Example:
    ex = Example()
    makers: dict[str, Callable[[], Value]] = {
        "PHONE": v.phone, "EMAIL": v.email, "URL": v.url, "DOMAIN": v.domain, "VRM": v.vrm,
        "POSTCODE": v.postcode, "NINO": v.nino, "IBAN": v.iban, "IP": v.ip, "CRIME_REF": v.crime_ref,
        "SORTCODE": v.bare_sort_code, "VRM_TEXTED": v.vrm_texted, "EMAIL_UPPER": v.email_upper, "IP_PORT": v.ip_port,
        "DRAMA": forms.drama, "DRAMA_COMPACT": forms.drama_compact, "PLATE": forms.plate,
        "PLATE_COMPACT": forms.plate_compact, "PLATE_TEXTED": forms.plate_texted, "DATELESS": forms.dateless,
        "NINO_FORM": forms.nino, "NINO_TEXTED": forms.nino_texted, "POSTCODE_FORM": forms.postcode,
    }
    aliases = ALIASES | FORM_ALIASES
    pending: dict[str, tuple[int, str]] = {}
    for literal, key in _parts(template):
        ex.text += literal
        if key is None:
            continue
        start = len(ex.text)
        if key in makers:
            surface, value = makers[key]()
            ex.text += surface
            ex.gold.append((aliases.get(key, key), start, len(ex.text), value))
        elif key in ("SC", "SSC", "DSC", "ACC"):
            part = {"SC": v.sort_code, "SSC": v.spaced_sort_code, "DSC": v.dashed_sort_code, "ACC": v.account}[key]()
            ex.text += part
            pending["ACC" if key == "ACC" else "SC"] = (start, part)
        else:
            ex.text += getattr(forms, key)() if hasattr(forms, key) else fill.text(key)
    if pending:
        (s1, sc), (s2, acc) = pending["SC"], pending["ACC"]
        ends = (s1 + len(sc), s2 + len(acc))
        ex.gold.append(("SORTCODE_ACCOUNT", min(s1, s2), max(ends), re.sub(r"\D", "", sc) + "-" + acc))
    return ex


def _parts(template: str) -> list[tuple[str, str | None]]:
    pieces = re.split(r"\{(\w+)\}", template)
    return [(pieces[i], pieces[i + 1] if i + 1 < len(pieces) else None) for i in range(0, len(pieces), 2)]


def dataset(seed: int, per_label: int, with_forms: bool = True) -> list[Example]:
    """The original sentences, then (drawn after them, so they stay the same) the forms of issue #14."""
    v = Values(seed)
    fill, forms = Fill(v), Forms(v)
    examples = [build(TEMPLATES[label][i % len(TEMPLATES[label])], v, fill, forms)
                for label in TEMPLATES for i in range(per_label)]
    examples += [build(DISTRACTORS[i % len(DISTRACTORS)], v, fill, forms) for i in range(per_label * 3)]
    if with_forms:
        examples += [build(FORM_TEMPLATES[label][i % len(FORM_TEMPLATES[label])], v, fill, forms)
                     for label in FORM_TEMPLATES for i in range(per_label)]
        examples += [build(FORM_DISTRACTORS[i % len(FORM_DISTRACTORS)], v, fill, forms) for i in range(per_label)]
    v.r.shuffle(examples)
    return examples


def score(examples: list[Example], show_errors: bool) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for i, ex in enumerate(examples):
        open_gold = list(ex.gold)
        for m in extract(ex.text, f"bench-{i}"):
            hit = next((g for g in open_gold if g[0] == m.label and g[3] == m.value
                        and g[1] < m.end and m.start < g[2]), None)
            if hit:
                open_gold.remove(hit)
                tp[m.label] += 1
            else:
                fp[m.label] += 1
                _say(show_errors, "FP", m.label, f"{m.text!r} -> {m.value!r}", ex.text)
        for label, start, end, value in open_gold:
            fn[label] += 1
            _say(show_errors, "FN", label, f"{ex.text[start:end]!r} -> {value!r}", ex.text)
    labels = sorted(set(tp) | set(fp) | set(fn))
    report = {label: _prf(tp[label], fp[label], fn[label]) for label in labels}
    report["overall"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return report


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "support": tp + fn, "tp": tp, "fp": fp, "fn": fn,
    }


def _say(show: bool, kind: str, label: str, what: str, text: str) -> None:
    if show:
        print(f"{kind} {label}: {what}   in {text!r}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--per-label", type=int, default=220, help="sentences per identifier template set")
    parser.add_argument("--errors", action="store_true", help="list false positives and negatives on stderr")
    parser.add_argument("--no-forms", action="store_true", help="the original sentences alone, without issue #14's")
    args = parser.parse_args()
    examples = dataset(args.seed, args.per_label, with_forms=not args.no_forms)
    began = time.perf_counter()
    report = score(examples, args.errors)
    print(json.dumps({
        "seed": args.seed, "sentences": len(examples),
        "seconds": round(time.perf_counter() - began, 2), "labels": report,
    }, indent=2))


if __name__ == "__main__":
    main()
