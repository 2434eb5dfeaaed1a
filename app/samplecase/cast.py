"""The people, organisations and places of Operation Kestrel. All fictional; fixed lists only, so
the output never changes with a third-party library's version. Subjects are fixed; witnesses are
drawn from the name lists with the caller's seeded random generator."""

import random
from dataclasses import dataclass

from app.samplecase.identifiers import gb_iban, landline, mobile

FIRST = ("Aisha", "Ben", "Carys", "Dylan", "Eleanor", "Farid", "Gemma", "Harvey", "Imogen", "Jack",
         "Keira", "Liam", "Megan", "Nathan", "Olivia", "Priya", "Rhys", "Sophie", "Tariq", "Usha",
         "Vincent", "Willow", "Yusuf", "Zara", "Owen", "Bethan", "Callum", "Niamh", "Graham", "Hollie")
SURNAME = ("Ashworth", "Bevan", "Chowdhury", "Dando", "Ellacott", "Fairweather", "Griffiths",
           "Hollins", "Iqbal", "Jefferies", "Kavanagh", "Lockyer", "Mabbutt", "Nnamdi", "Osei",
           "Penrose", "Quantock", "Rowlands", "Sandford", "Trevelyan", "Upton", "Vowles", "Whitcombe",
           "Yeo", "Zielinski", "Coombes", "Harptree", "Marchant", "Pengelly", "Stallard")
STREETS = ("Alder Road", "Belmont Terrace", "Cotham Grove", "Dapple Lane", "Elmgrove Avenue",
           "Fennel Close", "Granby Street", "Hawthorn Rise", "Ivywell Road", "Juniper Walk",
           "Kingfisher Way", "Larkspur Crescent", "Mill Leat Road", "Northcote Street",
           "Orchard Vale", "Pembroke Place", "Quarry Steps", "Redcatch Gardens")
POSTCODES = ("BS1 5TR", "BS2 0JA", "BS3 4LX", "BS4 2PQ", "BS6 7XS", "BS7 8EE", "BS8 1QU",
             "BS9 3DL", "BS10 5NB", "BS13 7AH", "BS14 0TJ", "BS15 1UE", "BS16 4RG", "BS31 1EZ")
CARS = (("silver", "Vauxhall Corsa"), ("red", "Ford Fiesta"), ("grey", "Nissan Qashqai"),
        ("white", "Toyota Yaris"), ("green", "Skoda Octavia"), ("black", "BMW 3 Series"))


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    address: str
    postcode: str
    phone: str
    dob: str = ""
    nickname: str = ""
    nino: str = ""
    vehicle: str = ""          # 'black Range Rover Sport'
    vrm: str = ""
    bank: tuple[str, str, str] = ("", "", "")   # (bank code, sort code, account number)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def formal(self) -> str:
        return f"{self.first} {self.last.upper()}"

    @property
    def iban(self) -> str:
        return gb_iban(*self.bank) if self.bank[0] else ""


@dataclass(frozen=True)
class Org:
    name: str
    address: str
    phone: str
    domain: str


BANK = "WCBK"  # Western Counties Bank plc (fictional)

# The main subject's number (07700 900123) is the planted phone fact; see plants.py.
SUBJECTS = (
    Person("Declan", "Moss", "27 Belmont Terrace, Easton, Bristol", "BS5 9QR", mobile(123),
           "14/06/1989", "Dex", "JT482193C", "black Range Rover Sport", "KX19 LWE",
           (BANK, "40-17-26", "58203914")),
    Person("Kyle", "Brennan", "Flat 2, 9 Granby Street, Bedminster, Bristol", "BS3 4LX", mobile(417),
           "02/11/1993", "Brenno", "NH731046B", "blue Ford Transit van", "WU68 KHD",
           (BANK, "40-17-26", "31877520")),
    Person("Shauna", "Pryce", "5 Orchard Vale, Kingswood, Bristol", "BS15 1UE", mobile(582),
           "23/02/1991", "", "PR215587A", "white Mini Cooper", "LJ21 VRX",
           (BANK, "40-22-91", "77014362")),
    Person("Tomasz", "Wrobel", "14 Mill Leat Road, Avonmouth, Bristol", "BS11 9HX", mobile(735),
           "09/08/1985", "Tom", "SK604418D", "DAF lorry", "WX21 FJK",
           (BANK, "40-22-91", "64409815")),
    Person("Lee", "Hatherley", "Hatherley Metals, Feeder Road, Bristol", "BS2 0JA", mobile(661),
           "30/01/1968", "", "WL139920C", "maroon Jaguar XJ6", "HGF 274T",   # suffix-style
           (BANK, "40-31-08", "20558817")),
    Person("Roy", "Tucker", "Lower Wick Farm, Queen Charlton, Keynsham", "BS31 1EZ", mobile(808),
           "17/05/1961", "", "ER902271A", "green Land Rover Defender", "M614 RFT",  # prefix-style
           (BANK, "40-31-08", "90316644")),
)
MOSS, BRENNAN, PRYCE, WROBEL, HATHERLEY, TUCKER = SUBJECTS
BURNER = mobile(950)

ORGS = (
    Org("Severn Freight Ltd", "Unit 7, Portway Trading Estate, Avonmouth, Bristol BS11 9HX",
        landline("0117 496", 215), "severnfreight.example"),
    Org("Avon Valley Motors", "112 Bath Road, Brislington, Bristol BS4 2PQ",
        landline("0117 496", 740), "avonvalleymotors.example"),
    Org("Gloss & Glam Nail Bar", "3 Regent Street, Kingswood, Bristol BS15 1UE",
        landline("0117 496", 518), "glossandglam.example"),
    Org("QuickSend Money Transfer", "88 Whitechapel High Street, London E1 7QX",
        landline("020 7946", 331), "quicksend.example"),
    Org("Western Counties Bank plc", "1 Corn Street, Bristol BS1 5TR",
        landline("020 7946", 112), "wcbank.example"),
    Org("Northgate Tiles Ltd", "Unit 4, Kirkstall Road, Leeds LS4 2AZ",
        landline("0113 496", 127), "northgatetiles.example"),
    Org("Oyelaran & Co Chartered Accountants", "40 Queen Square, Bristol BS1 4QS",
        landline("0117 496", 382), "oyelaran.example"),
)
SEVERN, AVON_MOTORS, GLOSS, QUICKSEND, WCB, NORTHGATE, OYELARAN = ORGS
POLICE_DOMAIN = "kestrel.police.example"
OFFICERS = (("DC", "Helen", "Marsh"), ("DS", "Gareth", "Pike"), ("PC", "Amrit", "Sandhu"),
            ("DC", "Laura", "Penhale"), ("Analyst", "Joe", "Ridley"))


def witness(rng: random.Random, used: set[int]) -> Person:
    """A fresh witness with a drama mobile number not used by anyone else in the case."""
    n = rng.choice([i for i in range(1000) if i not in used])
    used.add(n)
    street = rng.choice(STREETS)
    return Person(rng.choice(FIRST), rng.choice(SURNAME), f"{rng.randint(1, 180)} {street}, Bristol",
                  rng.choice(POSTCODES), mobile(n), dob=f"{rng.randint(1, 28):02d}/"
                  f"{rng.randint(1, 12):02d}/{rng.randint(1950, 2002)}")


def reserved_numbers() -> set[int]:
    """Drama mobile suffixes already taken by the fixed cast."""
    return {int(p.phone[-3:]) for p in SUBJECTS} | {int(BURNER[-3:])}
