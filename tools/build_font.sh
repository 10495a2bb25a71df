#!/usr/bin/env bash
# tools/build_font.sh — regenerate the bundled CJK web font for Kitokito.
#
# Flutter web (CanvasKit / skwasm) cannot see the browser's or the OS's fonts,
# and its own fallback downloads Noto fonts from the internet at run time.
# Kitokito must render ja / zh-Hans / zh-Hant / ko / vi / pt / tl / id text
# with no internet, so it ships one subset of Noto Sans CJK (face 0 = JP) as
# WOFF2 in assets/fonts/. This script rebuilds that file, and its licence file,
# from Debian's fonts-noto-cjk package, byte for byte.
#
# Outputs (both overwritten; nothing else is touched):
#   assets/fonts/NotoSansCJKjp-Kitokito-Subset.woff2
#   assets/fonts/LICENSE-NotoSansCJK.txt
# assets/fonts/README.md is hand-written: update its size / sha256 lines if
# you change the character set below.
#
# Usage:
#   bash tools/build_font.sh            # build, verify, print size + sha256
#   WITH_BOLD=1 bash tools/build_font.sh   # also build ...-Subset-Bold.woff2
#                                          # (+~2.5 MB; not shipped today)
#
# Needs: the Debian package fonts-noto-cjk (installed here with apt-get when
# run as root and missing) and python3.11 (or $PYTHON) to make a throw-away
# venv with the pinned fontTools/brotli ($FONT_VENV, default
# /tmp/kitokito-fontvenv). Re-running is safe: same inputs -> same bytes.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$REPO_ROOT/assets/fonts"
OUT_NAME="NotoSansCJKjp-Kitokito-Subset"
FAMILY_NAME="Kitokito Sans CJK"        # name-table family of the modified font
PS_NAME="KitokitoSansCJK"

SRC_DIR=/usr/share/fonts/opentype/noto
SRC_REGULAR="$SRC_DIR/NotoSansCJK-Regular.ttc"
SRC_BOLD="$SRC_DIR/NotoSansCJK-Bold.ttc"
FACE=0                                  # face 0 of the .ttc = "Noto Sans CJK JP"
DEB_PACKAGE=fonts-noto-cjk
DEB_VERSION_EXPECTED="1:20220127+repack1-1"   # Debian 12 (bookworm); font v2.004
SRC_REGULAR_SHA256="b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a"
SRC_BOLD_SHA256="faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb"

FONTTOOLS_VERSION=4.68.0
BROTLI_VERSION=1.2.1
FONT_VENV="${FONT_VENV:-/tmp/kitokito-fontvenv}"
PYTHON="${PYTHON:-python3.11}"
WITH_BOLD="${WITH_BOLD:-0}"

# ---------------------------------------------------------------- 1. source
if [[ ! -f "$SRC_REGULAR" ]]; then
    if [[ "$(id -u)" == 0 ]]; then
        apt-get update
        apt-get install -y "$DEB_PACKAGE"
    else
        echo "error: $SRC_REGULAR missing; run: sudo apt-get install -y $DEB_PACKAGE" >&2
        exit 1
    fi
fi
deb_version="$(dpkg-query -W -f='${Version}' "$DEB_PACKAGE" 2>/dev/null || echo unknown)"
if [[ "$deb_version" != "$DEB_VERSION_EXPECTED" ]]; then
    echo "warning: $DEB_PACKAGE is $deb_version, expected $DEB_VERSION_EXPECTED;" \
         "the output will not match the committed file byte for byte" >&2
fi
check_sha() {  # file expected
    local got
    got="$(sha256sum "$1" | cut -d' ' -f1)"
    if [[ "$got" != "$2" ]]; then
        echo "warning: $1 sha256 $got differs from the pinned $2" >&2
    fi
}
check_sha "$SRC_REGULAR" "$SRC_REGULAR_SHA256"

# ---------------------------------------------------------------- 2. tools
if ! "$FONT_VENV/bin/python" - "$FONTTOOLS_VERSION" "$BROTLI_VERSION" 2>/dev/null <<'EOF'
import sys, importlib.metadata as md
sys.exit(0 if (md.version("fonttools"), md.version("brotli")) == tuple(sys.argv[1:3]) else 1)
EOF
then
    command -v "$PYTHON" >/dev/null || PYTHON=python3
    "$PYTHON" -m venv "$FONT_VENV"
    "$FONT_VENV/bin/pip" install --quiet "fonttools==$FONTTOOLS_VERSION" "brotli==$BROTLI_VERSION"
fi
PY="$FONT_VENV/bin/python"
PYFTSUBSET="$FONT_VENV/bin/pyftsubset"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------- 3. charset
# One "U+XXXX" per line. pyftsubset silently skips code points the font lacks.
"$PY" - "$WORK/unicodes.txt" <<'EOF'
import sys

def block(a, b):
    return set(range(a, b + 1))

def dbcs(codec, leads, trails):
    """Every character a legacy double-byte code page encodes in two bytes."""
    out = set()
    for a in leads:
        for b in trails:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out

chars = set()
for a, b in [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement (pt: ã õ ç, tl: ñ)
    (0x0100, 0x017F),  # Latin Extended-A (vi: ă đ ĩ ũ)
    (0x0180, 0x024F),  # Latin Extended-B (vi: ơ ư)
    (0x02B0, 0x02FF),  # Spacing Modifier Letters
    (0x0300, 0x036F),  # Combining Diacritical Marks (font has only 5)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (vi: ạ ả ấ ầ ẩ ẫ ậ ... ỹ)
    (0x2000, 0x206F),  # General Punctuation (※ ‥ … “ ” – —)
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x20A0, 0x20CF),  # Currency (€ ₩ ₫)
    (0x2100, 0x214F),  # Letterlike (℃ № ℡ ™)
    (0x2150, 0x218F),  # Number Forms (Ⅰ Ⅱ ⅰ)
    (0x2190, 0x21FF),  # Arrows (→ ← ⇒)
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x2300, 0x23FF),  # Miscellaneous Technical
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① ⑳ Ⓐ)
    (0x2500, 0x257F),  # Box Drawing
    (0x2580, 0x259F),  # Block Elements
    (0x25A0, 0x25FF),  # Geometric Shapes (○ ● ◎ □ ■ △ ▲ ◇ ◆)
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ ☆ ☎ ♪ ⚠)
    (0x2700, 0x27BF),  # Dingbats (✓ ❶)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。「」〒〇々)
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana (・ ー)
    (0x3130, 0x318F),  # Hangul Compatibility Jamo (ㄱ ㅏ)
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions (ㇰ)
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈱ ㊤)
    (0x3300, 0x33FF),  # CJK Compatibility (㍉ ㎡ ㌔)
    (0xAC00, 0xD7A3),  # all 11,172 Hangul syllables (KS X 1001 has 2,350)
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms (vertical punctuation)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms (incl. half-width kana)
]:
    chars |= block(a, b)

# Japanese: all of cp932 (JIS X 0208 + NEC/IBM extensions: 髙 﨑 ① ㈱ ...)
chars |= dbcs("cp932", range(0x81, 0xFD), range(0x40, 0xFD))
# The 2010 Jōyō kanji whose standard forms are outside JIS X 0208
chars |= {ord(c) for c in "𠮟塡剝頰"}
# Korean: all of KS X 1001 (2,350 Hangul, 4,888 Hanja, symbols)
chars |= dbcs("euc_kr", range(0xA1, 0xFF), range(0xA1, 0xFF))
# Simplified Chinese: all of GB 2312 (6,763 hanzi + symbols)
chars |= dbcs("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
# Traditional Chinese: Big5 symbols (A140-A3FE) + level-1 hanzi (A440-C67E).
# Level 2 (C940-F9D5, 7,652 rarer hanzi) is left out: it costs ~1 MB.
big5_trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
chars |= dbcs("big5", range(0xA1, 0xC7), big5_trails)

with open(sys.argv[1], "w") as f:
    f.writelines(f"U+{c:04X}\n" for c in sorted(chars))
print(f"charset: {len(chars)} code points requested", file=sys.stderr)
EOF

# ---------------------------------------------------------------- 4. subset
# locl is left out on purpose: it pulls in the SC/TC/KR glyph variants and
# roughly doubles the file. Han characters therefore always take the Japanese
# glyph forms (face 0), also in Chinese and Korean text.
subset() {  # src.ttc out.woff2
    "$PYFTSUBSET" "$1" \
        --font-number="$FACE" \
        --unicodes-file="$WORK/unicodes.txt" \
        --layout-features=ccmp,kern,palt,vert \
        --no-hinting \
        --desubroutinize \
        --name-IDs=0,1,2,3,4,5,6,7,13,14 \
        --flavor=woff2 \
        --output-file="$2"
}

# Rename the modified font (OFL section 3 / "Noto" trademark: a Modified
# Version should not present itself as the original) and tag the version.
rename() {  # in.woff2 out.woff2 style(Regular|Bold)
    "$PY" - "$1" "$2" "$3" "$FAMILY_NAME" "$PS_NAME" <<'EOF'
import sys
from fontTools.ttLib import TTFont
src, dst, style, family, ps = sys.argv[1:6]
font = TTFont(src, recalcTimestamp=False, recalcBBoxes=False)
name = font["name"]
version = name.getDebugName(5)
for rec in list(name.names):
    if rec.nameID in (1, 3, 4, 5, 6, 16, 17):
        name.removeNames(nameID=rec.nameID)
psname = f"{ps}-{style}"
for nid, text in {
    1: family,
    2: style,
    3: f"{psname};Kitokito subset of NotoSansCJKjp-{style}",
    4: f"{family} {style}" if style != "Regular" else family,
    5: f"{version}; Kitokito subset",
    6: psname,
}.items():
    name.setName(text, nid, 3, 1, 0x409)
cff = font["CFF "].cff
old_ps = cff.fontNames[0]                       # NotoSansCJKjp-Regular
cff.fontNames = [psname]
top = cff[psname]
top.FullName = name.getDebugName(4)
top.FamilyName = family
for fd in getattr(top, "FDArray", []):          # CID sub-font names
    fd.FontName = fd.FontName.replace(old_ps, psname)
font.flavor = "woff2"
font.save(dst)
EOF
}

# ---------------------------------------------------------------- 5. verify
verify() {  # font.woff2
    "$PY" - "$1" <<'EOF'
import sys
from fontTools.ttLib import TTFont
cmap = TTFont(sys.argv[1]).getBestCmap()
samples = [
    "富山県 きときと 避難所 申請・手続き 医療 子育て 防災 交通 相談予約 観光 移住 お知らせ 設定 𠮟塡剝頰 髙﨑",
    "富山市 高岡市 魚津市 氷見市 滑川市 黒部市 砺波市 小矢部市 南砺市 射水市 舟橋村 上市町 立山町 入善町 朝日町",
    "→ ← ○ ● × ・ 〒 ※ ① ⑳ ★ ☎ ♪ ㈱ ℃ № 「」『』【】〜ー ｱｲｳｴｵ ＡＢＣ１２３",
    "富山县 医疗 设置 通知 预约",
    "富山縣 醫療 設定 預約 觀光",
    "도야마현 의료 설정 알림 예약 관광 똠 뷁",
    "Tỉnh Toyama, Thông báo, Cài đặt, Đặt lịch tư vấn, Y tế ₫",
    "São Paulo, Configurações, Avisos",
    "Mga abiso, Pagpapareserba, Pengumuman",
]
missing = sorted({c for s in samples for c in s if c != " " and ord(c) not in cmap})
if missing:
    print("MISSING:", " ".join(f"{c}(U+{ord(c):04X})" for c in missing), file=sys.stderr)
    sys.exit(1)
print(f"verify: {len(cmap)} mapped code points; all sample strings covered")
EOF
}

build_one() {  # src.ttc style
    local src="$1" style="$2" out
    if [[ "$style" == Regular ]]; then out="$OUT_DIR/$OUT_NAME.woff2"
    else out="$OUT_DIR/$OUT_NAME-$style.woff2"; fi
    subset "$src" "$WORK/subset-$style.woff2"
    rename "$WORK/subset-$style.woff2" "$WORK/final-$style.woff2" "$style"
    verify "$WORK/final-$style.woff2"
    mv -f "$WORK/final-$style.woff2" "$out"
    printf '%s  %s bytes  sha256 %s\n' "${out#"$REPO_ROOT"/}" \
        "$(stat -c %s "$out")" "$(sha256sum "$out" | cut -d' ' -f1)"
}

mkdir -p "$OUT_DIR"
build_one "$SRC_REGULAR" Regular
if [[ "$WITH_BOLD" == 1 ]]; then
    check_sha "$SRC_BOLD" "$SRC_BOLD_SHA256"
    build_one "$SRC_BOLD" Bold
fi

# ---------------------------------------------------------------- 6. licence
# OFL 1.1 condition 2: every copy of the (modified) font ships with the
# copyright notice and the licence. Text taken from the installed package.
"$PY" - "$SRC_REGULAR" "$OUT_DIR/LICENSE-NotoSansCJK.txt" "$deb_version" <<'EOF'
import re, sys
from fontTools.ttLib import TTFont
src, dst, deb_version = sys.argv[1:4]
notice = TTFont(src, fontNumber=0, lazy=True)["name"].getDebugName(0)
deb = open("/usr/share/doc/fonts-noto-cjk/copyright", encoding="utf-8").read()
# The OFL text as Debian stores it: the "License: SIL-1.1" paragraph, indented
# by one space, blank lines written as " .".
m = re.search(r"^License: SIL-1\.1\n((?: .*\n)+)", deb, re.M)
ofl = "".join("\n" if l == " ." else l[1:] + "\n" for l in m.group(1).splitlines())
text = f"""\
NotoSansCJKjp-Kitokito-Subset.woff2 (font family "Kitokito Sans CJK") is a
Modified Version of Noto Sans CJK JP Regular, subset and renamed for the
Kitokito app by tools/build_font.sh. Like the original, it is licensed under
the SIL Open Font License, Version 1.1, reproduced below.

Copyright notice of the original font (name table, ID 0):
    {notice}
Copyright line of the Debian package fonts-noto-cjk {deb_version}:
    Copyright: 2010-2012, Google Corporation
"Noto" is a trademark of Google Inc. (name table, ID 7).
No Reserved Font Name is declared in the font or in the package's licence.

This Font Software is licensed under the SIL Open Font License, Version 1.1.

{ofl}
======================================================================
Verbatim copy of /usr/share/doc/fonts-noto-cjk/copyright
(Debian package fonts-noto-cjk {deb_version}). Its GPL-3+ section covers
only Debian's packaging files (debian/*), none of which are shipped here.
======================================================================

{deb}"""
open(dst, "w", encoding="utf-8").write(text)
EOF
echo "wrote ${OUT_DIR#"$REPO_ROOT"/}/LICENSE-NotoSansCJK.txt"
