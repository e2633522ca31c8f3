"""PDF/A-2b for certificate PDFs, done inside ReportLab: XMP metadata with the PDF/A identification, an sRGB output
intent, the document language and dates taken from the snapshot (so the bytes stay deterministic).

The sRGB ICC profile is LittleCMS's built-in sRGB, written by Pillow (ImageCms ships with Pillow's wheels), so
nothing outside the Python packages is needed. Snapshots frozen before PDF/A (no `pdf_format`, read as 1) render
exactly as they did, because the register holds the SHA-256 of those bytes.
"""

from __future__ import annotations

import struct
from datetime import date
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFArray, PDFCatalog, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

PDF_FORMAT_PLAIN, PDF_FORMAT_PDFA = 1, 2
LANGUAGE = "pl-PL"
SRGB = "sRGB IEC61966-2.1"


class _UnfilteredStream(PDFStream):
    """XMP stays readable as plain text (no /Filter key at all), whatever the document's compression."""

    def format(self, document):
        saved, document.defaultStreamFilters = document.defaultStreamFilters, None
        try:
            return super().format(document)
        finally:
            document.defaultStreamFilters = saved


# LittleCMS stamps the profile's header with the moment it is built (bytes 24–35, an ICC dateTimeNumber), which made
# the PDF/A bytes depend on when the process started: a re-render of a lost file in another process no longer matched
# the register's SHA-256. The stamp is fixed instead (the header's profile ID, which would cover it, is left unset).
PROFILE_DATE = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)


@cache
def srgb_profile() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert profile[84:100] == bytes(16), "an ICC profile ID would have to be recomputed"
    return profile[:24] + PROFILE_DATE + profile[36:]


def _xmp(*, title: str, author: str, subject: str, stamp: str, producer: str) -> str:
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <xmp:CreatorTool>elearn</xmp:CreatorTool>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdfa(c: Canvas, *, title: str, author: str, subject: str, issued: date) -> None:
    """Call after creating the canvas: Info and XMP agree (title, author, subject, dates), language pl-PL."""
    c.setTitle(title)
    c.setAuthor(author)
    c.setSubject(subject)
    c.setCreator("elearn")
    doc = c._doc
    c.setDateFormatter(lambda *_: f"D:{issued:%Y%m%d}000000+00'00'")
    producer = doc.info.producer
    catalog = doc.Catalog
    catalog.Lang = PDFString(LANGUAGE)
    xmp = _xmp(title=title, author=author, subject=subject, stamp=f"{issued.isoformat()}T00:00:00+00:00", producer=producer)
    metadata = _UnfilteredStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), xmp.encode("utf-8"))
    catalog.Metadata = doc.Reference(metadata)
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(SRGB),
            "Info": PDFString(SRGB),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog.__Defaults__ = {**PDFCatalog.__Defaults__, "OutputIntents": PDFArray([intent])}


def link(c: Canvas, url: str, x0: float, y0: float, x1: float, y1: float) -> None:
    """A URI link annotation, printable (F 4) and borderless, as PDF/A requires of annotations."""
    c.linkURL(url, (x0, y0, x1, y1), relative=0, thickness=0, F=4)
