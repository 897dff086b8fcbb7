#!/usr/bin/env bash
# The OASIS XLIFF 2 core schema (and the xml.xsd it imports), for validating what duiqi
# writes, from Debian's php-symfony-translation package (extracted only, nothing
# installed), hash-checked, into DIR (default target/xliff-schema). XLIFF 2.1 keeps 2.0's
# core schema; its one change there, srcLang/trgLang typed xs:language, is applied.
# Prints the schema's path.
set -euo pipefail
DIR="${1:-target/xliff-schema}"
if [ -f "$DIR/xliff_core_2.0.xsd" ]; then echo "$DIR/xliff_core_2.0.xsd"; exit 0; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
download() { (cd "$WORK" && apt-get download php-symfony-translation >/dev/null 2>&1); }
download || { apt-get update -qq >/dev/null && download; }
(cd "$WORK" && dpkg-deb -x php-symfony-translation_*_all.deb deb)
S="$WORK/deb/usr/share/php/Symfony/Component/Translation/Resources/schemas"
mkdir -p "$DIR/informativeCopiesOf3rdPartySchemas/w3c"
cp "$S/xliff-core-2.0.xsd" "$DIR/xliff_core_2.0.xsd"
cp "$S/xml.xsd" "$DIR/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"
(cd "$DIR" && sha256sum -c --quiet - <<'SUMS'
86869fdd384cc4c0bfda9097ded6b2058ccdc027973d5ce6177fceac17e96f89  xliff_core_2.0.xsd
4811c301144dd763dca0cd9f8d0b4029c0a4ad1d84c73132c2531ec5f06ac340  informativeCopiesOf3rdPartySchemas/w3c/xml.xsd
SUMS
)
sed -i -e 's#<xs:attribute name="srcLang" use="required"/>#<xs:attribute name="srcLang" use="required" type="xs:language"/>#' \
       -e 's#<xs:attribute name="trgLang" use="optional"/>#<xs:attribute name="trgLang" use="optional" type="xs:language"/>#' \
       "$DIR/xliff_core_2.0.xsd"
echo "269ac6761e8eda61fe019201288c2571a2fce574fbe99dc568ff2c1d24081100  $DIR/xliff_core_2.0.xsd" | sha256sum -c --quiet -
echo "$DIR/xliff_core_2.0.xsd"
