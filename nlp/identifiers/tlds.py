"""Top-level domains that make a host name plausible (shared by EMAIL, URL and DOMAIN).

Not the full IANA list (1,500+ names, many of them ordinary words or file extensions such as
.zip and .mov): country codes plus the generic names seen in real correspondence.
"""

COUNTRY: frozenset[str] = frozenset("""
ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs
bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg
eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn
hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk
lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf
ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd
se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz
ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
""".split())

GENERIC: frozenset[str] = frozenset("""
com net org info biz gov edu mil int name pro aero coop museum mobi asia tel travel jobs cat post
app dev page blog cloud online site website store shop tech email xyz club live news media agency
company group services solutions digital network systems world global today life london scot wales
cymru law legal bank finance money capital ventures partners consulting design studio social chat
space top win vip icu fun link click host press art wiki games health care charity foundation
""".split())

# Reserved for documentation (RFC 2606), as Ofcom's drama ranges are for phones: training material,
# exercises and Clew's sample case use it, and an investigator pivots on those addresses too.
RESERVED: frozenset[str] = frozenset({"example"})

# Country codes that are far more often file extensions when written without a scheme.
FILE_LIKE: frozenset[str] = frozenset({"py", "md", "sh", "ps", "rs", "so"})


def plausible(tld: str) -> bool:
    tld = tld.lower()
    return tld in GENERIC or tld in COUNTRY or tld in RESERVED
