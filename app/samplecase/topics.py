"""What each text document is about, with a description of it in other words.

Every text document gets one topic and one place; its known-item description is the kind's
prefix, the topic's `desc` and the place's `desc`, so it names the document without quoting it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    text: str   # written into the document
    desc: str   # the same event in other words
    role: str   # who would make a witness statement about it


T = Topic
TOPICS = (
    T("Two men argued loudly outside the bookmakers and one of them threatened to 'sort out' the other if the money was not repaid by Friday.", "a quarrel over an unpaid debt, with a threat of violence, by a betting shop", "bar supervisor"),
    T("A silver hatchback circled the estate three times before stopping beside the garages, where the driver handed a small package through the window of a parked car.", "a car repeatedly looping a housing area then passing something to another motorist by the lock-ups", "postman"),
    T("The unit on the industrial estate has had its shutters down for weeks, but lorries arrive after midnight and leave within twenty minutes.", "a warehouse that looks shut yet gets brief freight visits late at night", "security guard"),
    T("He paid for the second-hand Audi with a carrier bag full of twenty-pound notes and asked for no paperwork.", "a motor bought with cash stuffed in a shopping bag and a request to skip the documents", "car salesman"),
    T("She said she had been asked to open a bank account in her own name and hand over the card and PIN in return for £300.", "a young woman recruited to lend her banking details for a fee, a money mule", "college lecturer"),
    T("The CCTV at the petrol station shows a man in a grey hooded top filling two jerry cans and paying in coins.", "forecourt camera footage of someone in a hoodie buying fuel in containers with loose change", "fuel station cashier"),
    T("Parcels addressed to a flat were always collected by a different person, never the named recipient.", "a courier noticing packages for one apartment picked up by strangers rather than the addressee", "delivery driver"),
    T("The tenant paid six months' rent up front in cash and the flat has since been used by several young men who come and go at all hours.", "advance rent settled in banknotes and a stream of youths visiting round the clock", "landlord"),
    T("There was the sound of glass smashing at about 02:40 and a figure was seen climbing through the window of the pharmacy.", "a breaking window in the early hours and an intruder getting into a chemist", "night-shift nurse"),
    T("The group stores cash in a chest freezer at a farm, wrapped in cling film among bags of frozen peas.", "a gang keeping banknotes hidden in cold storage on rural premises", "farm labourer"),
    T("The scooter rider snatched the phone from her hand outside the station and rode off along the cycle lane.", "a moped thief grabbing a mobile from a woman near the railway", "ticket inspector"),
    T("Staff at the car wash are paid in cash, sleep above the premises and have their passports held by the manager.", "workers at a vehicle-cleaning business exploited, identity documents confiscated by the boss", "charity outreach worker"),
    T("A man offered to sell a nearly new laptop for £80 in the pub car park and said it had 'fallen off a lorry'.", "a stolen computer hawked cheaply outside a bar", "plasterer"),
    T("The boat has been moored at the marina since March and the owner visits only at night with heavy sports bags.", "a vessel in the harbour visited after dark by its keeper carrying weighty luggage", "harbour master"),
    T("The subject was counting banknotes in the front seat of a black Range Rover outside the tanning salon.", "a target tallying money inside a dark SUV by a sunbed shop", "beautician"),
    T("The keys had been cloned with a relay device and the car was gone in under a minute.", "keyless vehicle theft with signal-boosting kit, done very quickly", "software engineer"),
    T("The money transfer shop processed forty payments just under the reporting threshold in a single afternoon.", "a remittance business handling many deliberately small transfers to avoid scrutiny", "compliance officer"),
    T("A neighbour complained of a strong smell of cannabis and humming from the loft, with the windows blacked out.", "a suspected indoor weed farm given away by odour, noise and covered glass", "retired teacher"),
    T("The invoice from the haulage firm lists pallets of tiles that were never delivered to the building site.", "a freight company billing for ceramic goods that never arrived", "site manager"),
    T("The courier uses a burner phone that is switched on only when he travels on the M5.", "a runner carrying a throwaway handset powered up only during motorway trips", "mechanic"),
    T("The victim was told her son had been in an accident and needed £2,000 for a solicitor, so she handed cash to a man at her door.", "an elderly person conned on the doorstep with a story about a relative needing legal fees", "care worker"),
    T("The two men exchanged envelopes in the beer garden and then left separately.", "a swap of packets outdoors at a pub before the pair went their own ways", "barman"),
    T("There is a padlocked shipping container behind the scrapyard that nobody is allowed near.", "a locked metal box at a breaker's yard kept off limits to everyone", "crane operator"),
    T("He had three passports in different names in the glovebox, all with his photograph.", "multiple identity documents showing the same face found in a car", "traffic officer"),
    T("The same white Mercedes Sprinter was parked outside the house every Tuesday and Thursday morning.", "a light-coloured van turning up on two fixed weekdays", "childminder"),
    T("The caretaker found a bag of small resealable packets and a set of digital scales hidden under the bleachers.", "a janitor discovering drug-dealing kit stashed at a sports ground", "school caretaker"),
    T("A youth on a bicycle was delivering small packages to cars that pulled up beside the launderette.", "a teenager on a pushbike doing hand-offs to motorists at a laundrette", "dry cleaner"),
    T("Turnover figures for the nail bar had been inflated to explain cash deposits.", "bookkeeping padded for a beauty salon to cover money going into the bank", "accounts clerk"),
    T("A man in the gym changing room offered steroids and 'anything else you want'.", "an offer of performance-enhancing drugs and more in a fitness club locker room", "personal trainer"),
    T("The same passenger was taken from Bristol to Cardiff and back with a suitcase, always paid in cash and never spoke.", "a silent fare with luggage ferried across the Severn and back again", "taxi driver"),
    T("On searching the flat officers found £14,750 in cash inside a cereal box and a notebook of names with amounts next to them.", "a raid uncovering money hidden in breakfast packaging and a ledger of debts", "search officer"),
    T("The car was set alight on the driveway at around 03:15; the doorbell camera captured a person pouring liquid on the bonnet.", "arson of a vehicle outside a home caught on a smart doorbell", "shop owner"),
    T("The perimeter fence at the depot had been cut and two pallets of cigarettes were missing.", "a boundary breached at a storage yard and tobacco stock gone", "warehouse supervisor"),
    T("A buyer tried to purchase a terraced house using funds from four different overseas accounts.", "a property sale where the purchaser's money came from many foreign sources", "estate agent"),
    T("The handset was in contact with the subject's number 62 times in the week before the robbery.", "phone analysis showing heavy contact in the days leading up to a hold-up", "telecoms analyst"),
    T("Her ex-partner had been using her address to register vehicles without her knowledge.", "a former partner misusing a woman's home to register cars behind her back", "receptionist"),
    T("The vet surgery received a large order for ketamine that the practice manager did not place.", "an animal clinic getting an unauthorised sedative order", "veterinary nurse"),
    T("A regular customer at the cash-and-carry buys 200 mobile top-up vouchers at a time.", "a wholesale store noticing one buyer repeatedly bulk-purchasing phone credit", "shop manager"),
    T("A dog walker found a sawn-off shotgun wrapped in a bin liner in the hedge by the cycle path.", "a concealed shortened firearm found in foliage by someone out with a pet", "dog walker"),
    T("The men paid for identical tattoos, a kestrel on the wrist, and spoke about 'the firm'.", "matching bird-of-prey inkings and talk of the gang at a body-art studio", "tattoo artist"),
    T("Neighbours heard a vehicle reversing repeatedly at 04:00 and found the cash machine ripped from the wall of the convenience store.", "an ATM torn out of a corner shop in the small hours", "newsagent"),
    T("A man collected benefits for three different people using letters of authority that looked forged.", "fake authorisations used to draw welfare payments at a post office", "post office clerk"),
    T("The mechanic was asked to build a hidden compartment behind the rear seats of a Volkswagen Golf.", "a garage asked to fit a concealed space in a hatchback", "vehicle technician"),
    T("An older man paid her phone bill and then asked her to carry a rucksack to Swindon.", "a young person groomed with bill payments into transporting a bag along a county line", "youth worker"),
    T("The room booked under a false name contained vacuum-packed bundles and several SIM cards.", "a hotel room rented under an alias holding sealed packages and phone chips", "hotel housekeeper"),
)


@dataclass(frozen=True)
class Place:
    text: str
    desc: str


PLACES = (
    Place("on Stapleton Road", "on the inner-city high street in the east"),
    Place("near Temple Meads", "close to the city's main railway terminus"),
    Place("at Cribbs Causeway", "at the out-of-town mall to the north"),
    Place("in Avonmouth", "around the port on the estuary"),
    Place("in Keynsham", "in the small town midway to Bath"),
    Place("in Weston-super-Mare", "in the seaside resort down the coast"),
    Place("in Southmead", "on a northern housing estate near the big hospital"),
    Place("in Bedminster", "south of the river in the old tobacco district"),
    Place("in Clifton", "in the well-off area by the suspension bridge"),
    Place("at Bristol Airport", "at the regional air terminal"),
    Place("in Filton", "in the aerospace suburb"),
    Place("in Kingswood", "in the eastern fringe town"),
)

KIND_PREFIX = {
    "witness-statement": "Signed testimony about",
    "intel-log": "Informant reporting on",
    "intel-summary": "Briefing paper covering",
    "web-page": "Local message-board thread about",
    "email": "Internal correspondence between detectives about",
}
