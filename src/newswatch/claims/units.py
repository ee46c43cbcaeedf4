"""Units, currencies, counted things and number words: the tables claim extraction reads.

Why a table and not a units library: news writes units in a few hundred ways ("MW",
"megawatts", "300-megawatt", "GB/s", "$2.5bn") and the product needs one canonical unit per
dimension so that "300 MW" and "0.3 GW" compare. pint knows physics but not "bn", "GPU" or
"sq ft"; a small explicit table is easier to read, test and extend.

Canonical units (the `unit` of a claim; the value is expressed in it):

| dimension | canonical | written forms folded into it |
|---|---|---|
| power | `W` | W, kW, MW, GW, TW, watts, megawatts... |
| energy | `Wh` | Wh, kWh, MWh, GWh, TWh, J, kJ, MJ, GJ (1 Wh = 3600 J) |
| apparent power | `VA` | VA, kVA, MVA |
| voltage | `V` | V, kV |
| money | `USD`, or the ISO code | $, US$, dollars -> USD; €, euros -> EUR; £ -> GBP; ¥/yen -> JPY; won -> KRW... |
| information | `B` | bytes, KB..EB, KiB..EiB (binary prefixes) |
| information | `bit` | bits, Kb..Pb |
| data rate | `B/s`, `bit/s` | GB/s, TB/s, Gbps, Gb/s, Mbps... |
| compute | `FLOP/s` | FLOPS, teraflops, petaflops, exaflops, TFLOPS... |
| ratio | `%`, `pp`, `bp`, `fraction`, `x` | percent, percentage points, basis points, "a third", "2x"/"doubled" |
| length | `m` | km, cm, mm, nm, miles, feet, inches, yards, nautical miles all fold into m |
| area | `m2` / `sq ft`, `sq mi`, `acre` | km2, hectares fold into m2 |
| volume | `L` / `gal` | ml, cl, m3 fold into L |
| mass | `kg` / `lb`, `oz`, `ton` | g, mg, t/tonnes fold into kg |
| time | `s` / `minute`, `hour`, `day`, `week`, `month`, `year` | ms, µs, ns fold into s; decades into years |
| temperature | `°C`, `°F`, `K` | degrees Celsius... |
| frequency | `Hz` | kHz, MHz, GHz |
| speed | `km/h`, `mph`, `m/s`, `kn` | |
| plain number | `""` | a number with nothing counted after it ("PUE of 1.1") |
| counts | the thing counted, singular | `GPU`, `chip`, `accelerator`, `server`, `rack`, `employee`, `data center`... |

Metric prefixes always fold into the base unit, and so do imperial lengths (one group must hold
"3 miles" and "4.8 km" in one unit); other imperial units and calendar units keep their own
name because the conversion is not what the writer meant ("a year" is not 31,557,600 s).
Every canonical unit has a dimension and a factor to that dimension's base (`SI_FACTOR`), so
the discrepancy check can still compare "1 million sq ft" with "93,000 m2".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "UnitSpec",
    "UNITS",
    "CURRENCY_PREFIXES",
    "CURRENCY_WORDS",
    "COUNT_NOUNS",
    "DIMENSIONS",
    "dimension_of",
    "si_factor",
    "is_count_unit",
    "count_family",
    "singular",
    "MAGNITUDE_WORDS",
    "MAGNITUDE_SUFFIXES",
    "SMALL_NUMBERS",
    "TENS",
    "SCALES",
    "FRACTION_WORDS",
    "MULTIPLIER_WORDS",
]


@dataclass(frozen=True)
class UnitSpec:
    """A written unit: what it is called canonically and what to multiply by to get there."""

    canonical: str
    factor: float = 1.0


# --- dimensions of canonical units: (dimension, factor to the dimension's base) ---
DIMENSIONS: dict[str, tuple[str, float]] = {
    "W": ("power", 1.0),
    "Wh": ("energy", 1.0),
    "eV": ("energy", 4.450490e-23),
    "VA": ("apparent_power", 1.0),
    "V": ("voltage", 1.0),
    "A": ("current", 1.0),
    "B": ("information", 8.0),
    "bit": ("information", 1.0),
    "B/s": ("data_rate", 8.0),
    "bit/s": ("data_rate", 1.0),
    "FLOP/s": ("compute", 1.0),
    "OP/s": ("compute", 1.0),
    "%": ("ratio", 0.01),
    "fraction": ("ratio", 1.0),
    "pp": ("ratio_points", 1.0),
    "bp": ("ratio_points", 0.01),
    "x": ("multiplier", 1.0),
    "m": ("length", 1.0),
    "mi": ("length", 1609.344),
    "ft": ("length", 0.3048),
    "in": ("length", 0.0254),
    "yd": ("length", 0.9144),
    "nmi": ("length", 1852.0),
    "m2": ("area", 1.0),
    "sq ft": ("area", 0.09290304),
    "sq mi": ("area", 2589988.110336),
    "acre": ("area", 4046.8564224),
    "L": ("volume", 1.0),
    "gal": ("volume", 3.785411784),
    "cup": ("volume", 0.2365882365),
    "tbsp": ("volume", 0.01478676478125),
    "tsp": ("volume", 0.00492892159375),
    "kg": ("mass", 1.0),
    "lb": ("mass", 0.45359237),
    "oz": ("mass", 0.028349523125),
    "ton": ("mass", 907.18474),
    "s": ("time", 1.0),
    "minute": ("time", 60.0),
    "hour": ("time", 3600.0),
    "day": ("time", 86400.0),
    "week": ("time", 604800.0),
    "month": ("time", 2629800.0),
    "year": ("time", 31557600.0),
    "°C": ("temperature_c", 1.0),
    "°F": ("temperature_f", 1.0),
    "K": ("temperature_k", 1.0),
    "°": ("angle_or_degree", 1.0),
    "Hz": ("frequency", 1.0),
    "rpm": ("frequency", 1 / 60),
    "km/h": ("speed", 1 / 3.6),
    "mph": ("speed", 0.44704),
    "m/s": ("speed", 1.0),
    "kn": ("speed", 0.514444),
    "gCO2e/kWh": ("carbon_intensity", 1.0),
    "hp": ("power", 745.69987158),
    "fps": ("frame_rate", 1.0),
    "MP": ("image_resolution", 1.0),
    "N·m": ("torque", 1.0),
    "lb-ft": ("torque", 1.3558179483),
    "km/L": ("fuel_economy", 1.0),
    "mpg": ("fuel_economy", 0.4251437075),
    "": ("number", 1.0),
}

_METRIC = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21}
_METRIC_WORDS = {"": 1.0, "kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12, "peta": 1e15,
                 "exa": 1e18, "zetta": 1e21}

# Written unit -> spec. Keys are matched case-sensitively first, then (for keys in
# _CASELESS) without case. Longest match wins.
UNITS: dict[str, UnitSpec] = {}
_CASELESS: set[str] = set()


def _add(forms: list[str] | str, canonical: str, factor: float = 1.0, caseless: bool = False) -> None:
    if isinstance(forms, str):
        forms = [forms]
    for form in forms:
        UNITS[form] = UnitSpec(canonical, factor)
        if caseless:
            _CASELESS.add(form.lower())
            UNITS.setdefault(form.lower(), UnitSpec(canonical, factor))


def _build() -> None:
    # power, energy, electrical
    for p, f in _METRIC.items():
        if p in ("", "k", "M", "G", "T"):
            _add(f"{p}W", "W", f)
            _add(f"{p}Wh", "Wh", f)
            _add(f"{p}We", "W", f)
            if p:  # solar and grid ratings: AC / DC / peak / electric
                _add([f"{p}Wac", f"{p}Wdc", f"{p}Wp", f"{p}WAC", f"{p}WDC", f"{p}Wpeak"], "W", f)
            _add(f"{p}VA", "VA", f)
    _add(["mw", "Mw"], "W", 1e6)  # news lower-cases megawatts; milliwatts never size a site
    _add(["gw", "Gw"], "W", 1e9)
    _add(["kw"], "W", 1e3)
    _add(["kwh", "KWh", "KWH"], "Wh", 1e3)
    _add(["mwh", "MWH"], "Wh", 1e6)
    _add(["gwh", "GWH"], "Wh", 1e9)
    _add(["twh", "TWH"], "Wh", 1e12)
    # British thermal units (gas and cooling news): 1 Btu = 1055.06 J
    _add(["Btu", "BTU", "Btus", "BTUs", "british thermal unit", "british thermal units"], "Wh", 1055.05585 / 3600.0,
         caseless=True)
    _add(["MMBtu", "mmBtu", "MMBTU", "mmbtu"], "Wh", 1e6 * 1055.05585 / 3600.0)
    for w, f in _METRIC_WORDS.items():
        if f <= 1e12:
            _add([f"{w}watt", f"{w}watts"], "W", f, caseless=True)
            _add([f"{w}watt-hour", f"{w}watt-hours", f"{w}watt hour", f"{w}watt hours"],
                 "Wh", f, caseless=True)
            _add([f"{w}joule", f"{w}joules"], "Wh", f / 3600.0, caseless=True)
    for p, f in (("", 1.0), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)):
        _add(f"{p}J", "Wh", f / 3600.0)
    for p, f in (("", 1.0), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)):
        _add(f"{p}eV", "eV", f)
    _add(["electronvolt", "electronvolts", "electron volts"], "eV", 1.0, caseless=True)
    _add(["V", "volt", "volts"], "V", 1.0)
    _add(["kV", "kilovolt", "kilovolts"], "V", 1e3)
    _add(["amps", "ampere", "amperes"], "A", 1.0, caseless=True)
    _add(["megavolt-ampere", "megavolt-amperes", "megavolt amperes"], "VA", 1e6, caseless=True)
    # information
    for p, f in _METRIC.items():
        if p:
            _add(f"{p}B", "B", f)
            _add(f"{p}iB", "B", 1024 ** ("kMGTPEZ".index(p) + 1) if p != "k" else 1024.0)
            _add(f"{p}b", "bit", f)
            _add(f"{p}bit", "bit", f)
            _add(f"{p}B/s", "B/s", f)
            _add(f"{p}Bps", "B/s", f)
            _add(f"{p}b/s", "bit/s", f)
            _add(f"{p}bit/s", "bit/s", f)
            _add(f"{p}bps", "bit/s", f)
    _add("KB", "B", 1e3)
    _add("KiB", "B", 1024.0)
    _add("Kb", "bit", 1e3)
    _add("Kbps", "bit/s", 1e3)
    _add(["gb/s", "gbps", "Gbit/s"], "bit/s", 1e9)
    _add(["tb/s", "tbps"], "bit/s", 1e12)
    _add(["mb/s", "mbps"], "bit/s", 1e6)
    for w, f in _METRIC_WORDS.items():
        if w:
            _add([f"{w}byte", f"{w}bytes"], "B", f, caseless=True)
            _add([f"{w}bit", f"{w}bits"], "bit", f, caseless=True)
            _add([f"{w}bits per second", f"{w}bit per second"], "bit/s", f, caseless=True)
            _add([f"{w}bytes per second"], "B/s", f, caseless=True)
    for w, p in (("kibi", 1), ("mebi", 2), ("gibi", 3), ("tebi", 4), ("pebi", 5)):
        _add([f"{w}byte", f"{w}bytes"], "B", 1024.0**p, caseless=True)
    _add(["byte", "bytes"], "B", 1.0, caseless=True)
    _add(["bit", "bits"], "bit", 1.0, caseless=True)
    # compute
    for p, f in (("", 1.0), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15),
                 ("E", 1e18), ("Z", 1e21)):
        _add([f"{p}FLOPS", f"{p}FLOP/s", f"{p}flops", f"{p}FLOPs", f"{p}Flops"], "FLOP/s", f)
        _add([f"{p}OPS", f"{p}OP/s"], "OP/s", f)
    _add("TOPS", "OP/s", 1e12)
    for w, f in (("giga", 1e9), ("tera", 1e12), ("peta", 1e15), ("exa", 1e18), ("zetta", 1e21)):
        _add([f"{w}flop", f"{w}flops", f"{w}-flops", f"{w}FLOPS", f"{w}FLOP", f"{w}flop/s"],
             "FLOP/s", f, caseless=True)
    _add(["exascale"], "FLOP/s", 1e18)
    # ratio
    _add(["%", "percent", "per cent", "pct", "percentage", "percents", "per-cent"], "%", 1.0,
         caseless=True)
    _add(["percentage points", "percentage point", "percentage-point", "pp", "ppt"],
         "pp", 1.0, caseless=True)
    _add(["basis points", "basis point", "bps", "bp"], "bp", 1.0)
    _add(["x", "X", "×", "times", "fold", "-fold"], "x", 1.0)
    # length
    for form, f in (("m", 1.0), ("km", 1e3), ("cm", 1e-2), ("mm", 1e-3), ("µm", 1e-6),
                    ("um", 1e-6), ("nm", 1e-9), ("pm", 1e-12)):
        _add(form, "m", f)
    for w, f in (("", 1.0), ("kilo", 1e3), ("centi", 1e-2), ("milli", 1e-3), ("micro", 1e-6),
                 ("nano", 1e-9), ("pico", 1e-12), ("deci", 1e-1)):
        _add([f"{w}meter", f"{w}meters", f"{w}metre", f"{w}metres"], "m", f, caseless=True)
    _add("dm", "m", 0.1)
    # imperial lengths fold into metres too: outlets give one distance in miles, feet or
    # kilometres, and a group must compare them in one unit
    _add(["mile", "miles", "mi"], "m", 1609.344, caseless=True)
    _add(["nautical mile", "nautical miles"], "m", 1852.0, caseless=True)
    _add(["foot", "feet", "ft"], "m", 0.3048, caseless=True)
    _add(["inch", "inches"], "m", 0.0254, caseless=True)
    _add("in", "m", 0.0254)
    _add(["yard", "yards", "yd", "yds", "yarder", "yarders"], "m", 0.9144, caseless=True)
    # area
    for form, f in (("m2", 1.0), ("m²", 1.0), ("km2", 1e6), ("km²", 1e6), ("cm2", 1e-4),
                    ("sq m", 1.0), ("sqm", 1.0), ("sq km", 1e6), ("m^2", 1.0), ("km^2", 1e6)):
        _add(form, "m2", f)
    for w, f in (("", 1.0), ("kilo", 1e6), ("centi", 1e-4)):
        _add([f"square {w}meter", f"square {w}meters", f"square {w}metre", f"square {w}metres",
              f"square-{w}meter", f"square-{w}metre"], "m2", f, caseless=True)
    _add(["hectare", "hectares", "ha"], "m2", 1e4, caseless=True)
    _add(["sq ft", "sq. ft.", "sq. ft", "sq.ft.", "sqft", "square feet", "square foot",
          "square-foot", "square-feet", "ft2", "ft²"], "sq ft", 1.0, caseless=True)
    _add(["sq mi", "square mile", "square miles", "square-mile", "mi2", "mi²"], "sq mi", 1.0,
         caseless=True)
    _add(["acre", "acres"], "acre", 1.0, caseless=True)
    # volume
    _add(["L", "l", "litre", "litres", "liter", "liters"], "L", 1.0)
    _add(["Litre", "Litres", "Liter", "Liters"], "L", 1.0)
    _add(["ml", "mL", "millilitre", "millilitres", "milliliter", "milliliters"], "L", 1e-3)
    _add(["cl", "cL", "centilitre", "centilitres", "centiliter", "centiliters"], "L", 1e-2)
    _add(["m3", "m³", "cubic meter", "cubic meters", "cubic metre", "cubic metres"], "L", 1e3)
    _add(["km cubed", "cubic km"], "L", 1e12)
    _add(["m cubed"], "L", 1e3)
    _add(["km squared", "square km"], "m2", 1e6)
    _add(["m squared"], "m2", 1.0)
    _add(["km3", "km³", "km^3", "cubic kilometer", "cubic kilometers", "cubic kilometre",
          "cubic kilometres"], "L", 1e12)
    _add(["gallon", "gallons", "gal"], "gal", 1.0, caseless=True)
    _add(["cup", "cups"], "cup", 1.0, caseless=True)
    _add(["tablespoon", "tablespoons", "tbsp", "tbs"], "tbsp", 1.0, caseless=True)
    _add(["teaspoon", "teaspoons", "tsp"], "tsp", 1.0, caseless=True)
    # mass
    _add(["kg", "kilogram", "kilograms", "kilo", "kilos"], "kg", 1.0, caseless=True)
    _add(["g", "gram", "grams", "gramme", "grammes"], "kg", 1e-3)
    _add(["mg", "milligram", "milligrams"], "kg", 1e-6)
    _add(["t", "tonne", "tonnes", "metric ton", "metric tons", "metric tonnes", "Mt"], "kg", 1e3)
    UNITS["Mt"] = UnitSpec("kg", 1e9)
    _add(["lb", "lbs", "pound", "pounds"], "lb", 1.0)
    _add(["oz", "ounce", "ounces"], "oz", 1.0, caseless=True)
    _add(["ton", "tons", "short ton", "short tons"], "ton", 1.0, caseless=True)
    # time
    _add(["s", "sec", "secs", "second", "seconds"], "s", 1.0)
    _add(["ms", "millisecond", "milliseconds"], "s", 1e-3)
    _add(["µs", "us", "microsecond", "microseconds"], "s", 1e-6)
    _add(["ns", "nanosecond", "nanoseconds"], "s", 1e-9)
    _add(["min", "mins", "minute", "minutes"], "minute", 1.0)
    _add(["h", "hr", "hrs", "hour", "hours"], "hour", 1.0)
    _add(["day", "days"], "day", 1.0)
    _add(["week", "weeks", "wk", "wks"], "week", 1.0)
    _add(["month", "months", "mo", "mos"], "month", 1.0)
    _add(["year", "years", "yr", "yrs"], "year", 1.0)
    _add(["decade", "decades"], "year", 10.0)
    _add(["century", "centuries"], "year", 100.0)
    # temperature
    for form in ("°C", "ºC", "° C", "degrees Celsius", "degree Celsius", "degrees celsius",
                 "degrees C", "deg C", "C", "Celsius", "celsius", "degrees centigrade",
                 "centigrade", "celcius", "degrees celcius"):
        _add(form, "°C", 1.0)
    for form in ("°F", "ºF", "° F", "degrees Fahrenheit", "degree Fahrenheit",
                 "degrees fahrenheit", "degrees F", "deg F", "F", "Fahrenheit", "fahrenheit",
                 "farenheit", "degrees farenheit"):
        _add(form, "°F", 1.0)
    _add(["degrees f", "degree f", "degree fahrenheit", "deg f", "deg fahrenheit", "degrees farenheit"],
         "°F", 1.0)
    _add(["degrees c", "degree c", "degree celsius", "deg c", "deg celsius", "degrees centigrate",
          "centigrate", "degree centigrade"], "°C", 1.0)
    _add(["kelvin", "kelvins", "Kelvin"], "K", 1.0)
    _add(["°", "degrees", "degree"], "°", 1.0)
    # frequency, speed
    for p, f in (("", 1.0), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)):
        _add(f"{p}Hz", "Hz", f)
    _add(["ghz", "Ghz"], "Hz", 1e9)
    _add(["mhz", "Mhz"], "Hz", 1e6)
    for w, f in (("", 1.0), ("kilo", 1e3), ("mega", 1e6), ("giga", 1e9)):
        _add([f"{w}hertz"], "Hz", f, caseless=True)
    _add(["rpm", "RPM"], "rpm", 1.0)
    _add(["km/h", "kph", "kmh", "kmph", "km/hr", "kilometers per hour", "kilometres per hour",
          "kilometers an hour", "kilometres an hour"], "km/h", 1.0, caseless=True)
    _add(["mph", "miles per hour", "miles an hour"], "mph", 1.0, caseless=True)
    _add(["m/s", "meters per second", "metres per second"], "m/s", 1.0, caseless=True)
    _add(["knot", "knots"], "kn", 1.0, caseless=True)
    # car and gadget news: horsepower, frame rates and fuel economy keep the unit written, as
    # pounds and miles per hour do; DIMENSIONS relates horsepower to watts
    _add(["hp", "bhp", "horsepower", "horse power", "brake horsepower"], "hp", 1.0, caseless=True)
    _add(["fps", "frames per second", "frames a second"], "fps", 1.0, caseless=True)
    _add(["MP", "megapixel", "megapixels", "mega-pixel", "mega-pixels"], "MP", 1.0)  # camera resolution
    _add(["Nm", "N·m", "N-m", "newton-metres", "newton-meters", "newton metres", "newton meters"], "N·m", 1.0)
    _add(["lb-ft", "lb.-ft.", "lb ft", "lb-ft.", "pound-feet", "pound-foot", "pounds-feet", "foot-pounds",
          "ft-lb", "ft-lbs"], "lb-ft", 1.0, caseless=True)
    _add(["mpg", "miles per gallon", "miles a gallon"], "mpg", 1.0, caseless=True)
    _add(["km/L", "km/l", "kpl", "kilometers per liter", "kilometres per litre", "kilometers per litre",
          "kilometres per liter"], "km/L", 1.0, caseless=True)
    # the micro sign (µ, U+00B5) and the Greek mu (μ, U+03BC) are both written for "micro"
    for mu in ("µ", "μ"):
        _add([f"{mu}g"], "kg", 1e-9)
        _add([f"{mu}m"], "m", 1e-6)
        _add([f"{mu}s"], "s", 1e-6)
        _add([f"{mu}L", f"{mu}l"], "L", 1e-6)
    _add(["mcg", "microgram", "micrograms", "microgramme", "microgrammes"], "kg", 1e-9, caseless=True)
    _add(["° Celsius", "°Celsius", "° celsius", "° Centigrade"], "°C", 1.0)
    _add(["° Fahrenheit", "°Fahrenheit", "° fahrenheit"], "°F", 1.0)
    # carbon intensity
    _add(["gCO2e/kWh", "gCO₂e/kWh", "gCO2/kWh", "gCO₂/kWh", "g CO2e/kWh", "g CO2/kWh"],
         "gCO2e/kWh", 1.0)


_build()

# Units so short or so common as words that they only count right after a digit with no
# word in between ("5 m", "2 in." are fine; "two in my car" is not).
AMBIGUOUS_SHORT = {"m", "l", "L", "t", "s", "g", "h", "in", "C", "F", "V", "x", "X", "mi", "min",
                   "us", "mo", "ha", "pm", "ft", "yd", "oz", "b", "points", "times", "degrees",
                   "degree", "°", "pp", "bp", "bps", "kilo", "kilos", "A", "ton", "tons", "day",
                   "days", "hour", "hours"}

# --- currencies ---
CURRENCY_PREFIXES: dict[str, str] = {
    "US$": "USD", "U.S.$": "USD", "US $": "USD", "U.S. $": "USD", "USD": "USD", "$": "USD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "HK$": "HKD", "HKD": "HKD", "S$": "SGD", "SGD": "SGD", "NZ$": "NZD", "NZD": "NZD",
    "R$": "BRL", "BRL": "BRL", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "¥": "JPY", "JPY": "JPY", "CN¥": "CNY", "CNY": "CNY", "RMB": "CNY", "₹": "INR", "INR": "INR",
    "Rs": "INR", "Rs.": "INR", "₩": "KRW", "KRW": "KRW", "CHF": "CHF", "SEK": "SEK", "NOK": "NOK",
    "DKK": "DKK", "₽": "RUB", "RUB": "RUB", "MXN": "MXN", "ZAR": "ZAR", "SAR": "SAR", "AED": "AED",
    "TWD": "TWD", "NT$": "TWD", "ILS": "ILS", "₪": "ILS", "TRY": "TRY", "PLN": "PLN",
}
# Word forms after the number. Adjective + "dollars" forms map to their own code.
CURRENCY_WORDS: dict[str, tuple[str, float]] = {}
for _forms, _code, _f in (
    (("dollar", "dollars", "usd", "us dollars", "u.s. dollars", "american dollars", "bucks"), "USD", 1.0),
    (("cent", "cents", "¢"), "USD", 0.01),
    (("euro", "euros", "eur"), "EUR", 1.0),
    (("euro cent", "euro cents"), "EUR", 0.01),
    (("pound sterling", "pounds sterling", "sterling", "gbp", "quid"), "GBP", 1.0),
    (("pence", "penny", "pennies"), "GBP", 0.01),
    (("yen", "jpy"), "JPY", 1.0),
    (("yuan", "renminbi", "rmb", "cny", "chinese yuan"), "CNY", 1.0),
    (("rupee", "rupees", "inr", "indian rupees"), "INR", 1.0),
    (("won", "korean won", "krw"), "KRW", 1.0),
    (("canadian dollar", "canadian dollars", "cad"), "CAD", 1.0),
    (("australian dollar", "australian dollars", "aud"), "AUD", 1.0),
    (("hong kong dollars", "hong kong dollar", "hkd"), "HKD", 1.0),
    (("singapore dollars", "singapore dollar", "sgd"), "SGD", 1.0),
    (("new zealand dollars", "new zealand dollar", "nzd"), "NZD", 1.0),
    (("taiwan dollars", "new taiwan dollars", "twd"), "TWD", 1.0),
    (("swiss francs", "swiss franc", "francs", "chf"), "CHF", 1.0),
    (("dutch guilders", "guilders", "guilder"), "NLG", 1.0),
    (("deutsche marks",), "DEM", 1.0),
    (("pesos", "mexican pesos"), "MXN", 1.0),
    (("reais", "brazilian reais"), "BRL", 1.0),
    (("rubles", "roubles"), "RUB", 1.0),
    (("riyals",), "SAR", 1.0),
    (("dirhams",), "AED", 1.0),
    (("kronor", "swedish kronor"), "SEK", 1.0),
    (("dime", "dimes"), "USD", 0.1),
    (("nickel", "nickels"), "USD", 0.05),
):
    for _w in _forms:
        CURRENCY_WORDS[_w] = (_code, _f)

# --- counted things: written noun -> canonical count unit ---
# Family groups count units that the discrepancy check may compare ("220,000 processors" vs
# "1 million GPUs" are claims about the same accelerators).
COUNT_NOUNS: dict[str, str] = {}
_COUNT_FAMILY: dict[str, str] = {}
for _forms, _canon, _family in (
    (("gpu", "gpus", "graphics processing unit", "graphics processing units", "graphics card",
      "graphics cards", "graphics processor", "graphics processors", "graphics chip", "graphics chips",
      "gpu chip", "gpu chips", "h100s", "h200s", "a100s", "b200s", "gb200s"),
     "GPU", "accelerator"),
    (("chip", "chips", "microchip", "microchips", "semiconductor", "semiconductors", "superchip",
      "superchips"), "chip", "accelerator"),
    (("accelerator", "accelerators", "ai accelerator", "ai accelerators"), "accelerator", "accelerator"),
    (("processor", "processors", "ai processor", "ai processors"), "processor", "accelerator"),
    (("tpu", "tpus", "tensor processing unit", "tensor processing units"), "TPU", "accelerator"),
    (("cpu", "cpus"), "CPU", "cpu"),
    (("gpu-hour", "gpu-hours", "gpu hour", "gpu hours"), "GPU-hour", "GPU-hour"),
    (("server", "servers"), "server", "server"),
    (("node", "nodes"), "node", "node"),
    (("rack", "racks"), "rack", "rack"),
    (("cabinet", "cabinets"), "cabinet", "cabinet"),
    (("people", "persons", "person", "individuals", "individual"), "person", "person"),
    (("employee", "employees", "staff", "staffers", "workers", "worker",
      "full-time employees", "personnel", "headcount", "workforce", "staff members"),
     "employee", "employee"),
    (("engineer", "engineers"), "engineer", "engineer"),
    (("job", "jobs"), "job", "employee"),
    (("role", "roles"), "role", "employee"),
    (("position", "positions"), "position", "employee"),
    (("data center", "data centers", "data centre", "data centres", "datacenter",
      "datacenters", "datacentre", "datacentres"), "data center", "data center"),
    (("data hall", "data halls"), "data hall", "data hall"),
    (("customer", "customers", "client", "clients"), "customer", "customer"),
    (("user", "users"), "user", "user"),
    (("subscriber", "subscribers"), "subscriber", "subscriber"),
    (("token", "tokens"), "token", "token"),
    (("parameter", "parameters", "params"), "parameter", "parameter"),
    (("share", "shares"), "share", "share"),
    (("home", "homes", "households", "household"), "home", "home"),
    (("device", "devices"), "device", "device"),
    (("wafer", "wafers"), "wafer", "wafer"),
    (("building", "buildings"), "building", "building"),
    (("campus", "campuses"), "campus", "campus"),
    (("country", "countries"), "country", "country"),
    (("company", "companies", "firm", "firms"), "company", "company"),
    (("turbine", "turbines"), "turbine", "turbine"),
    (("satellite", "satellites"), "satellite", "satellite"),
    (("substation", "substations"), "substation", "substation"),
    (("model", "models"), "model", "model"),
    (("query", "queries", "request", "requests"), "query", "query"),
):
    for _w in _forms:
        COUNT_NOUNS[_w] = _canon
    _COUNT_FAMILY[_canon] = _family

# Nouns whose plural is irregular or ends in -s as a singular.
_SINGULAR_EXCEPTIONS = {
    "people": "person", "men": "man", "women": "woman", "children": "child", "series": "series",
    "species": "species", "news": "news", "data": "data", "analysis": "analysis",
    "campus": "campus", "bus": "bus", "gas": "gas", "status": "status", "process": "process",
    "chassis": "chassis", "physics": "physics", "business": "business", "class": "class",
    "glass": "glass", "address": "address", "access": "access", "mass": "mass",
    "press": "press", "stress": "stress", "loss": "loss", "bonus": "bonus", "virus": "virus",
    "corpus": "corpus", "thesis": "thesis", "basis": "basis", "crisis": "crisis",
    "axis": "axis", "lens": "lens", "plus": "plus", "gpus": "GPU", "cpus": "CPU",
    "utilities": "utility", "lives": "life", "wives": "wife", "knives": "knife", "thieves": "thief",
    "feet": "foot", "teeth": "tooth", "geese": "goose", "mice": "mouse",
    "indices": "index", "matrices": "matrix", "vertices": "vertex",
}


def singular(word: str) -> str:
    """English singular of a plural noun, good enough for unit names ("sides" -> "side")."""
    w = word.strip()
    low = w.lower()
    if low in _SINGULAR_EXCEPTIONS:
        return _SINGULAR_EXCEPTIONS[low]
    if len(low) <= 3 or not low.endswith("s") or low.endswith(("ss", "us", "is")):
        return w
    if low.endswith("ies") and len(low) > 4:
        return w[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if low.endswith("oes") and len(low) > 4:
        return w[:-2]
    return w[:-1]


def dimension_of(unit: str) -> str:
    """The dimension a canonical unit measures; counts are "count:<family>"."""
    if unit in DIMENSIONS:
        return DIMENSIONS[unit][0]
    if unit in CURRENCY_CODES:
        return f"money:{unit}"
    if "/" in unit:
        return f"rate:{unit}"
    return f"count:{count_family(unit)}"


def si_factor(unit: str) -> float:
    """Factor from the canonical unit to the base of its dimension (1 for most units)."""
    if unit in DIMENSIONS:
        return DIMENSIONS[unit][1]
    return 1.0


def is_count_unit(unit: str) -> bool:
    return dimension_of(unit).startswith("count:")


def count_family(unit: str) -> str:
    return _COUNT_FAMILY.get(unit, unit)


CURRENCY_CODES: set[str] = set(CURRENCY_PREFIXES.values()) | {c for c, _ in CURRENCY_WORDS.values()}

# --- number words ---
SMALL_NUMBERS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "quadrillion": 1e15,
}
# Magnitude words after a digit number ("2.5 billion", "$10bn", "10M").
MAGNITUDE_WORDS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mn": 1e6, "mln": 1e6, "mil": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12,
    "lakh": 1e5, "crore": 1e7, "dozen": 12.0, "dozens": 12.0,
}
# Single-letter suffixes: uppercase always, lowercase only after a currency ("$10m").
# "MM" is the finance shorthand for a million ("$160MM"; M = thousand in that tradition, but
# news uses "$160M" for millions, so only the doubled form is special).
MAGNITUDE_SUFFIXES: dict[str, float] = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12,
                                        "m": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "mn": 1e6,
                                        "MM": 1e6, "mm": 1e6, "MMs": 1e6}
FRACTION_WORDS: dict[str, float] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
# Words that are a multiplier or a change by a factor.
MULTIPLIER_WORDS: dict[str, tuple[float, str]] = {
    "double": (2, "up"), "doubled": (2, "up"), "doubles": (2, "up"), "doubling": (2, "up"),
    "triple": (3, "up"), "tripled": (3, "up"), "triples": (3, "up"), "tripling": (3, "up"),
    "quadruple": (4, "up"), "quadrupled": (4, "up"), "quadruples": (4, "up"),
    "quadrupling": (4, "up"), "halve": (0.5, "down"), "halved": (0.5, "down"),
    "halves": (0.5, "down"), "halving": (0.5, "down"), "twofold": (2, "="),
    "threefold": (3, "="), "fourfold": (4, "="), "fivefold": (5, "="), "tenfold": (10, "="),
    "hundredfold": (100, "="),
}

_WORD_RE = re.compile(r"[A-Za-z]+")
