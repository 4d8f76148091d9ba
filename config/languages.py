"""Language tags that every validator accepts, as settings and outputs use them.

A feed's ``language`` and ``xml:lang``, a page's ``lang`` and a per-language feed's file
name carry a language tag. BCP 47's syntax alone lets through what the checkers refuse:
the W3C Feed Validation Service takes a primary subtag only from ISO 639 (``jp``, a
country code that Japanese sites often write, is an error there), and the Nu HTML checker
takes script and region subtags only from their registries (``en-UK`` is an error).
:func:`language_tag` gives the form the outputs use, or None when the primary subtag names
no language; :func:`language_problem` says what is wrong with a tag in the settings.

The tables are facts of the standards (read from Debian's ``iso-codes``): ISO 639-1; the
ISO 639-2 languages that have no two-letter code (without the codes for no, several or
undetermined languages and the local-use range, and without six later additions the feed
validator does not know: cnr, nqo, syc, zbl, zgh, zza); ISO 639-2 codes of languages that
have a two-letter code, mapped to it; ISO 3166-1 regions, UN M.49 areas and ISO 15924
scripts. Every tag they can make passes both checkers.
"""

from __future__ import annotations

import functools
import unicodedata


def _codes(text: str) -> frozenset[str]:
    """The codes of a space-separated list."""
    return frozenset(text.split())


#: ISO 639-1: every language with a two-letter code.
_TWO_LETTER = _codes(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
    "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
    "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
    "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu "
)

#: ISO 639-2 languages without a two-letter code.
_THREE_LETTER = _codes(
    "ace ach ada ady afa afh ain akk ale alg alt ang anp apa arc arn arp art arw ast ath "
    "aus awa bad bai bal ban bas bat bej bem ber bho bik bin bla bnt bra btk bua bug byn "
    "cad cai car cau ceb cel chb chg chk chm chn cho chp chr chy cmc cop cpe cpf cpp crh "
    "crp csb cus dak dar day del den dgr din doi dra dsb dua dum dyu efi egy eka elx enm "
    "ewo fan fat fil fiu fon frm fro frr frs fur gaa gay gba gem gez gil gmh goh gon gor "
    "got grb grc gsw gwi hai haw hil him hit hmn hsb hup iba ijo ilo inc ine inh ira iro "
    "jbo jpr jrb kaa kab kac kam kar kaw kbd kha khi kho kmb kok kos kpe krc krl kro kru "
    "kum kut lad lah lam lez lol loz lua lui lun luo lus mad mag mai mak man map mas mdf "
    "mdr men mga mic min mkh mnc mni mno moh mos mun mus mwl mwr myn myv nah nai nap nds "
    "new nia nic niu nog non nso nub nwc nym nyn nyo nzi osa ota oto paa pag pal pam pap "
    "pau peo phi phn pon pra pro raj rap rar roa rom rup sad sah sai sal sam sas sat scn "
    "sco sel sem sga sgn shn sid sio sit sla sma smi smj smn sms snk sog son srn srr ssa "
    "suk sus sux syr tai tem ter tet tig tiv tkl tlh tli tmh tog tpi tsi tum tup tut tvl "
    "tyv udm uga umb vai vot wak wal war was wen xal yao yap ypk zap zen znd zun "
)

#: ISO 3166-1 alpha-2 country codes.
_REGIONS = _codes(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
)

#: ISO 15924 script codes.
_SCRIPTS = _codes(
    "Adlm Afak Aghb Ahom Arab Aran Armi Armn Avst Bali Bamu Bass Batk Beng Bhks Blis Bopo "
    "Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Cirt Copt Cprt Cyrl Cyrs Deva Dsrt Dupl "
    "Egyd Egyh Egyp Elba Ethi Geok Geor Glag Goth Gran Grek Gujr Guru Hanb Hang Hani Hano "
    "Hans Hant Hatr Hebr Hira Hluw Hmng Hrkt Hung Inds Ital Jamo Java Jpan Jurc Kali Kana "
    "Khar Khmr Khoj Kitl Kits Knda Kore Kpel Kthi Lana Laoo Latf Latg Latn Leke Lepc Limb "
    "Lina Linb Lisu Loma Lyci Lydi Mahj Mand Mani Marc Maya Mend Merc Mero Mlym Modi Mong "
    "Moon Mroo Mtei Mult Mymr Narb Nbat Newa Nkgb Nkoo Nshu Ogam Olck Orkh Orya Osge Osma "
    "Palm Pauc Perm Phag Phli Phlp Phlv Phnx Piqd Plrd Prti Qaaa Qabx Rjng Roro Runr Samr "
    "Sara Sarb Saur Sgnw Shaw Shrd Sidd Sind Sinh Sora Sund Sylo Syrc Syre Syrj Syrn Tagb "
    "Takr Tale Talu Taml Tang Tavt Telu Teng Tfng Tglg Thaa Thai Tibt Tirh Ugar Vaii Visp "
    "Wara Wole Xpeo Xsux Yiii Zinh Zmth Zsye Zsym Zxxx Zyyy Zzzz "
)

#: ISO 639-2 codes (terminology and bibliographic) of languages with a two-letter code.
_ALIAS_TEXT = (
    "aar:aa abk:ab afr:af aka:ak alb:sq amh:am ara:ar arg:an arm:hy asm:as ava:av ave:ae "
    "aym:ay aze:az bak:ba bam:bm baq:eu bel:be ben:bn bih:bh bis:bi bod:bo bos:bs bre:br "
    "bul:bg bur:my cat:ca ces:cs cha:ch che:ce chi:zh chu:cu chv:cv cor:kw cos:co cre:cr "
    "cym:cy cze:cs dan:da deu:de div:dv dut:nl dzo:dz ell:el eng:en epo:eo est:et eus:eu "
    "ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fre:fr fry:fy ful:ff geo:ka ger:de gla:gd "
    "gle:ga glg:gl glv:gv gre:el grn:gn guj:gu hat:ht hau:ha heb:he her:hz hin:hi hmo:ho "
    "hrv:hr hun:hu hye:hy ibo:ig ice:is ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik "
    "isl:is ita:it jav:jv jpn:ja kal:kl kan:kn kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki "
    "kin:rw kir:ky kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo lat:la lav:lv lim:li lin:ln "
    "lit:lt ltz:lb lub:lu lug:lg mac:mk mah:mh mal:ml mao:mi mar:mr may:ms mkd:mk mlg:mg "
    "mlt:mt mon:mn mri:mi msa:ms mya:my nau:na nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl "
    "nno:nn nob:nb nor:no nya:ny oci:oc oji:oj ori:or orm:om oss:os pan:pa per:fa pli:pi "
    "pol:pl por:pt pus:ps que:qu roh:rm ron:ro rum:ro run:rn rus:ru sag:sg san:sa sin:si "
    "slk:sk slo:sk slv:sl sme:se smo:sm sna:sn snd:sd som:so sot:st spa:es sqi:sq srd:sc "
    "srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty tam:ta tat:tt tel:te tgk:tg tgl:tl tha:th "
    "tib:bo tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr twi:tw uig:ug ukr:uk urd:ur uzb:uz "
    "ven:ve vie:vi vol:vo wel:cy wln:wa wol:wo xho:xh yid:yi yor:yo zha:za zho:zh zul:zu "
)

#: UN M.49 areas registered as region subtags (``es-419``: Latin American Spanish).
_AREAS = _codes(
    "001 002 003 005 009 011 013 014 015 017 018 019 021 029 030 034 035 039 053 054 057 "
    "061 142 143 145 150 151 154 155 202 419"
)
#: Two-letter codes withdrawn from ISO 639-1, and the codes that replaced them.
_WITHDRAWN = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "mo": "ro"}
_ALIASES = {**dict(pair.split(":") for pair in _ALIAS_TEXT.split()), **_WITHDRAWN}
#: Country codes written where a language code belongs, and the language meant.
_COUNTRIES = {
    "jp": ("ja", "Japanese"), "cn": ("zh", "Chinese"), "vn": ("vi", "Vietnamese"),
    "kh": ("km", "Khmer"), "mm": ("my", "Burmese"), "np": ("ne", "Nepali"),
    "lk": ("si", "Sinhala"), "pk": ("ur", "Urdu"), "bd": ("bn", "Bengali"),
    "ph": ("fil", "Filipino"), "kp": ("ko", "Korean"), "ir": ("fa", "Persian"),
    "il": ("he", "Hebrew"), "gr": ("el", "Greek"), "dk": ("da", "Danish"),
    "cz": ("cs", "Czech"), "ua": ("uk", "Ukrainian"), "gb": ("en", "English"),
    "us": ("en", "English"),
}  # fmt: skip
#: A language's own name, and the English one after it: a language feed's name, for the
#: program's languages and those of its partner cities (others show their code).
LANGUAGE_NAMES = {
    "en": "English", "ja": "日本語 (Japanese)", "th": "ไทย (Thai)", "km": "ខ្មែរ (Khmer)",
    "lo": "ລາວ (Lao)", "my": "မြန်မာ (Burmese)", "ko": "한국어 (Korean)",
    "vi": "Tiếng Việt (Vietnamese)", "id": "Bahasa Indonesia (Indonesian)",
    "ms": "Bahasa Melayu (Malay)", "fil": "Filipino", "zh": "中文 (Chinese)",
    "es": "Español (Spanish)", "pt": "Português (Portuguese)", "fr": "Français (French)",
    "ar": "العربية (Arabic)", "ru": "Русский (Russian)", "uk": "Українська (Ukrainian)",
    "tr": "Türkçe (Turkish)", "sw": "Kiswahili (Swahili)", "hi": "हिन्दी (Hindi)",
    "bn": "বাংলা (Bengali)", "ur": "اردو (Urdu)", "ne": "नेपाली (Nepali)",
    "si": "සිංහල (Sinhala)", "mn": "Монгол (Mongolian)", "ta": "தமிழ் (Tamil)",
}  # fmt: skip


def _both_names(table: dict[str, str]) -> dict[str, str]:
    """Each language of ``table`` by its own name and its English one, lowered."""
    named = {}
    for code, shown in table.items():
        own, _, english = shown.partition(" (")
        named[own.lower()] = code
        if english:
            named[english.removesuffix(")").lower()] = code
    return named


#: Languages by the names origins give them (World Bank ``lang``, Dublin Core): those of
#: :data:`LANGUAGE_NAMES` in their own words and in English, other English names, the
#: Japanese names (a Japanese repository's ``英語``) and other ways of writing one's own
#: (``ภาษาไทย``, ``简体中文``). Each was no language, and the item took its source's.
_NAMED = {
    **_both_names(LANGUAGE_NAMES),
    "german": "de", "italian": "it", "dutch": "nl", "cambodian": "km", "myanmar": "my",
    "tagalog": "tl", "bangla": "bn", "sinhalese": "si", "persian": "fa", "farsi": "fa",
    "uzbek": "uz", "kazakh": "kk", "kyrgyz": "ky", "georgian": "ka", "armenian": "hy",
    "greek": "el", "latin": "la", "polish": "pl", "czech": "cs", "swedish": "sv",
    "danish": "da", "norwegian": "no", "finnish": "fi", "hungarian": "hu", "romanian": "ro",
    "hebrew": "he", "amharic": "am", "hausa": "ha", "yoruba": "yo", "zulu": "zu",
    "英語": "en", "中国語": "zh", "韓国語": "ko", "朝鮮語": "ko",
    "フランス語": "fr", "ドイツ語": "de", "スペイン語": "es", "ポルトガル語": "pt",
    "ロシア語": "ru", "イタリア語": "it", "アラビア語": "ar", "タイ語": "th",
    "ベトナム語": "vi", "インドネシア語": "id", "マレー語": "ms", "モンゴル語": "mn",
    "クメール語": "km", "ラオ語": "lo", "ミャンマー語": "my", "ビルマ語": "my",
    "フィリピン語": "fil", "タガログ語": "tl", "ヒンディー語": "hi", "ネパール語": "ne",
    "ベンガル語": "bn", "ウルドゥー語": "ur", "トルコ語": "tr",
    "汉语": "zh", "漢語": "zh", "简体中文": "zh", "繁體中文": "zh", "ภาษาไทย": "th",
    "ភាសាខ្មែរ": "km", "ພາສາລາວ": "lo", "deutsch": "de", "italiano": "it",
    "nederlands": "nl", "فارسی": "fa",
}  # fmt: skip
MAX_TAG = 64  # characters: longer is no language tag anyone means


def primary_language(code: str) -> str | None:
    """The ISO 639 code of a primary language subtag in the form the outputs use (two
    letters where the language has them: ``jpn`` is ``ja``), or None when it names no
    language."""
    lowered = code.lower()
    if lowered in _TWO_LETTER or lowered in _THREE_LETTER:
        return lowered
    return _ALIASES.get(lowered)


def base_language(code: str | None) -> str:
    """The primary language subtag (``ja`` of ``ja-JP``), lower-case."""
    return (code or "").split("-")[0].lower()


def named_language(name: str) -> str | None:
    """The code of a language given by its name in English, in Japanese or in its own words
    (``Japanese``, ``英語``, ``Tiếng Việt``), or None."""
    return _NAMED.get(unicodedata.normalize("NFC", " ".join(name.split())).lower())


@functools.lru_cache(maxsize=1024)
def language_tag(value: str) -> str | None:
    """A language tag as the outputs write it, or None when it names no language.

    The primary subtag as :func:`primary_language` gives it, then a script (``Hant``) and a
    region (``JP``, ``419``) when they follow and are known, in their usual case; anything
    after them (variants, extensions, private use) and unknown subtags are left out.
    ``_`` separates subtags as ``-`` does (``ja_JP`` is ``ja-JP``)."""
    parts = value.strip().replace("_", "-").split("-")
    if len(value) > MAX_TAG or not parts[0].isascii():
        return None
    primary = primary_language(parts[0])
    if primary is None:
        return None
    tag = [primary]
    rest = parts[1:]
    if rest and rest[0].title() in _SCRIPTS:
        tag.append(rest.pop(0).title())
    if rest and (rest[0].upper() in _REGIONS or rest[0] in _AREAS):
        tag.append(rest.pop(0).upper())
    return "-".join(tag)


def language_problem(value: str) -> str | None:
    """What is wrong with a language tag given in the settings, with the fix; None when
    :func:`language_tag` keeps all of it."""
    parts = value.replace("_", "-").split("-")
    tag = language_tag(value)
    if tag is None:
        primary = parts[0].lower()
        named = named_language(value)
        if named is not None:
            return f"{value!r} is the name of a language; its code is {named!r}"
        if primary in _COUNTRIES:
            code, name = _COUNTRIES[primary]
            return f"{primary!r} is a country code, not a language; {name} is {code!r}"
        return (
            f"{value!r} is not a language code; use an ISO 639 code such as 'ja' or 'en', "
            "optionally with a script or country: 'zh-Hant', 'pt-BR'"
        )
    kept = tag.count("-") + 1
    if kept == len(parts):
        return None
    unknown = parts[kept]
    gb = " (the United Kingdom is 'GB')" if unknown.upper() == "UK" else ""
    return (
        f"{unknown!r} in {value!r} is neither a script (ISO 15924) nor a country (ISO 3166) "
        f"code{gb}; write {tag!r}, or a tag such as 'zh-Hant' or 'pt-BR'"
    )


#: Languages written right to left in their usual script, and the scripts (ISO 15924)
#: that are: Arabic (Urdu, Persian, Pashto, Sindhi, Uyghur, Kashmiri, Balochi, Sorani),
#: Hebrew (Yiddish), Syriac, Thaana (Dhivehi), N'Ko, Adlam, Mandaic, Hanifi Rohingya.
RTL_LANGUAGES = _codes("ar arc bal ckb dv fa he ks ps sd syr ug ur yi")
RTL_SCRIPTS = _codes("Adlm Arab Aran Hebr Mand Nkoo Rohg Samr Syrc Thaa Yezi")
#: The letters of those scripts (the Unicode blocks from Hebrew to Arabic Extended, their
#: presentation forms, and the right-to-left blocks beyond the first plane), as a
#: regular expression's character class for Python and for the search page's script.
RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"


def right_to_left(tag: str | None) -> bool:
    """Whether text in the language ``tag`` names is written right to left: its script
    subtag decides when it has one (``pa-Arab`` is, ``ug-Latn`` is not), else its
    language (``ar``, ``ur-PK``)."""
    parts = (tag or "").split("-")
    if len(parts) > 1 and len(parts[1]) == 4:
        return parts[1].title() in RTL_SCRIPTS
    return parts[0].lower() in RTL_LANGUAGES
