"""Development demo data: a knowledge base seeded with real, public material the courses cite, summarised in the
project's own words with links to the originals (no copyrighted file is copied), plus one PDF written here with
ReportLab in two versions, a learner's proposal waiting for review and one rejected with a reason.

Everything goes through the services (publish → extract → index; propose → review), so the search index, the
versions and the notifications are exactly as in the browser. Idempotent: a title already present is left alone.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import services as accounts
from ..directory.models import TerritorialUnit
from .models import ARTICLE, DOCUMENT, GUIDE, GUIDELINES, LEGAL_ACT, LINK, TEMPLATE, Resource
from .services import resources as services

STAFF_EMAIL = "rops@example.org"
TRAINER_EMAIL = "trener@example.org"
LEARNER_EMAIL = "pracownik@example.org"
LAW_LICENCE = "Akt prawny – nie jest przedmiotem prawa autorskiego (art. 4 pkt 1 ustawy o prawie autorskim i prawach pokrewnych)"
ISAP = "Sejm RP – Internetowy System Aktów Prawnych (ISAP)"
OWN = "Opracowanie własne ROPS na potrzeby platformy; do wykorzystania w pracy jednostek pomocy społecznej"
# The phrase that appears only inside the demo PDF (second version): the demo and the tests search for it.
PDF_ONLY_PHRASE = "kalendarz uzgodnień z radami sołeckimi"

SRPS_ARTICLE = """\
Gminna i powiatowa **strategia rozwiązywania problemów społecznych** (SRPS) to obowiązkowy dokument wieloletni:
opracowanie i realizacja strategii gminnej jest zadaniem własnym gminy o charakterze obowiązkowym
(art. 17 ust. 1 pkt 1 ustawy o pomocy społecznej), a powiatowej – zadaniem powiatu (art. 19 pkt 1).

## Co musi zawierać strategia

Art. 16b ust. 2 ustawy wymienia elementy, które strategia zawiera w szczególności:

1. diagnozę sytuacji społecznej,
2. prognozę zmian w zakresie objętym strategią,
3. cele strategiczne projektowanych zmian,
4. kierunki niezbędnych działań,
5. sposób realizacji strategii oraz jej ramy finansowe,
6. wskaźniki realizacji działań.

## Jak pracować nad strategią w praktyce

- **Zacznij od danych i od mieszkańców.** Ocena zasobów pomocy społecznej (art. 16a) i statystyka ośrodka to punkt
  wyjścia, ale diagnoza powinna objąć także to, co wiedzą organizatorzy społeczności lokalnej, sołtysi, szkoły
  i organizacje.
- **Powołaj zespół międzysektorowy**: ośrodek pomocy społecznej, urząd gminy, oświata, ochrona zdrowia, policja,
  organizacje pozarządowe, przedstawiciele mieszkańców.
- **Pisz cele, które da się zmierzyć.** Do każdego kierunku działań dopisz wskaźnik, wartość wyjściową i źródło danych.
- **Zaplanuj konsultacje** projektu z mieszkańcami przed uchwaleniem przez radę gminy.
- **Monitoruj co roku** i wracaj do strategii przy ocenie zasobów pomocy społecznej.

Aktualny tekst ustawy sprawdzaj zawsze w ISAP – przepisy o strategii bywały zmieniane.
"""

LPDI_ARTICLE = """\
**Lokalny plan deinstytucjonalizacji** (LPDI), nazywany też lokalnym planem rozwoju usług społecznych
i deinstytucjonalizacji, opisuje, jak gmina lub powiat przechodzi od opieki w dużych instytucjach do usług
świadczonych w społeczności lokalnej – blisko domu, z poszanowaniem wyboru osoby.

## Skąd się bierze

- Konwencja ONZ o prawach osób niepełnosprawnych, zwłaszcza art. 19 – prawo do niezależnego życia
  i włączenia w społeczność.
- „Wspólne europejskie wytyczne dotyczące przejścia od opieki instytucjonalnej do opieki świadczonej na poziomie
  lokalnych społeczności” (2012).
- Krajowa „Strategia rozwoju usług społecznych” i programy Europejskiego Funduszu Społecznego Plus, w których
  naborach plan bywa warunkiem finansowania.

W odróżnieniu od SRPS zakres LPDI nie wynika wprost z ustawy, lecz z dokumentów programowych i wytycznych – przed
rozpoczęciem prac sprawdź aktualne rekomendacje ROPS i wymagania naborów.

## Z czego zwykle składa się plan

1. Diagnoza usług: kto potrzebuje wsparcia (seniorzy, osoby z niepełnosprawnościami, dzieci w pieczy, osoby
   w kryzysie bezdomności), jakie usługi już działają, czego brakuje.
2. Kierunki zmian: rozwój usług w miejscu zamieszkania (usługi opiekuńcze, asystencja, mieszkania wspomagane,
   dzienne formy wsparcia), zapobieganie umieszczaniu w instytucjach.
3. Przedsięwzięcia z harmonogramem, skalą, realizatorem, kosztem i źródłami finansowania.
4. Współpraca gminy z powiatem (wiele usług to zadania powiatu) i z organizacjami pozarządowymi.
5. Monitoring – wskaźniki i sposób ich zbierania.

Strategia (SRPS) wyznacza cele w obszarze usług, a LPDI rozpisuje je na konkretne przedsięwzięcia.
"""

OSL_ARTICLE = """\
**Organizowanie społeczności lokalnej** (OSL) to metoda środowiskowej pracy socjalnej: pracownik nie działa
w zastępstwie mieszkańców, lecz z nimi – pomaga im rozpoznać wspólne potrzeby i zasoby, zorganizować się
i samodzielnie wpływać na swoje otoczenie.

## Ramowy model

Ogólnopolski model środowiskowej pracy socjalnej / organizowania społeczności lokalnej opracowały w latach
2009–2014 Stowarzyszenie Centrum Wspierania Aktywności Lokalnej CAL i Instytut Spraw Publicznych w projekcie
systemowym dotyczącym standardów usług pomocy i integracji społecznej. Model opisuje OSL jako proces
prowadzony w fazach i wyróżnia trzy role zawodowe; na platformie nazywamy je:

- **animator społeczności lokalnej** – rozpoznanie społeczności, aktywizacja mieszkańców, wsparcie liderów
  i grup (w modelu: animator lokalny),
- **mediator** – praca z konfliktami i sieciami relacji między mieszkańcami i instytucjami
  (w modelu: organizator sieci społecznych),
- **lokalny polityk społeczny** – włączanie społeczności w lokalną politykę społeczną, strategie i programy
  (w modelu: lokalny planista).

## Fazy procesu

rozpoznanie → planowanie → działanie → ewaluacja → usamodzielnienie (społeczność działa dalej bez pracownika).

## Prawo

Pracę socjalną ze społecznością lokalną przewiduje art. 45 ustawy o pomocy społecznej; zadania organizatora
społeczności lokalnej zatrudnionego w centrum usług społecznych wymienia art. 32 ustawy o realizowaniu usług
społecznych przez centrum usług społecznych.

Pełne publikacje modelu są dostępne u ich wydawców; to streszczenie nie zastępuje lektury.
"""

SEED = (
    services.ResourceData(
        format=LINK,
        type=LEGAL_ACT,
        title="Ustawa z dnia 12 marca 2004 r. o pomocy społecznej",
        summary="Podstawa działania ośrodków pomocy społecznej, PCPR i ROPS: zasady i formy pomocy, zadania gminy, powiatu "
        "i województwa, praca socjalna (także ze społecznością lokalną, art. 45) oraz obowiązek gminnej i powiatowej strategii "
        "rozwiązywania problemów społecznych (art. 16b, art. 17 ust. 1 pkt 1, art. 19 pkt 1). Pierwotnie Dz.U. 2004 nr 64 "
        "poz. 593; w ISAP także teksty jednolite i zmiany.",
        url="https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20040640593",
        source=ISAP,
        licence=LAW_LICENCE,
        published_on=date(2004, 3, 12),
        topics=["prawo", "pomoc społeczna", "SRPS"],
        roles=["wspolne", "polityk"],
        competences=["WSP.2.1", "POL.2.1"],
    ),
    services.ResourceData(
        format=LINK,
        type=LEGAL_ACT,
        title="Ustawa z dnia 19 lipca 2019 r. o realizowaniu usług społecznych przez centrum usług społecznych",
        summary="Pozwala gminie utworzyć centrum usług społecznych (CUS), zwykle przez przekształcenie ośrodka pomocy społecznej. "
        "Określa usługi społeczne z czternastu obszarów, diagnozę potrzeb i potencjału wspólnoty, program usług społecznych "
        "oraz zadania organizatora społeczności lokalnej (art. 32). Dz.U. 2019 poz. 1818.",
        url="https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20190001818",
        source=ISAP,
        licence=LAW_LICENCE,
        published_on=date(2019, 7, 19),
        topics=["prawo", "CUS", "usługi społeczne"],
        roles=["wspolne", "polityk", "animator"],
        competences=["WSP.2.1", "POL.2.3"],
    ),
    services.ResourceData(
        format=LINK,
        type=LEGAL_ACT,
        title="Ustawa z dnia 29 listopada 1990 r. o pomocy społecznej (uchylona)",
        summary="Poprzednia ustawa o pomocy społecznej (Dz.U. 1990 nr 87 poz. 506), zastąpiona ustawą z 12 marca 2004 r., która "
        "weszła w życie 1 maja 2004 r. Przydatna przy czytaniu starszych dokumentów i orzeczeń; nie stosuj jej do spraw bieżących.",
        url="https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU19900870506",
        source=ISAP,
        licence=LAW_LICENCE,
        published_on=date(1990, 11, 29),
        valid_until=date(2004, 4, 30),
        topics=["prawo", "pomoc społeczna"],
        roles=["wspolne"],
        competences=["WSP.2.1"],
    ),
    services.ResourceData(
        format=ARTICLE,
        type=GUIDELINES,
        title="Standard organizowania społeczności lokalnej (model CAL) – streszczenie",
        summary="Czym jest OSL według ramowego modelu środowiskowej pracy socjalnej Stowarzyszenia CAL i Instytutu Spraw "
        "Publicznych: trzy role zawodowe, fazy procesu i podstawy prawne. Streszczenie własne z odesłaniem do wydawcy.",
        body=OSL_ARTICLE,
        url="https://www.cal.org.pl",
        source="Stowarzyszenie CAL, Instytut Spraw Publicznych (model z lat 2009–2014); streszczenie ROPS",
        licence="Streszczenie: " + OWN,
        topics=["OSL", "standard", "role zawodowe"],
        roles=["animator", "mediator", "polityk", "wspolne"],
        competences=["WSP.1.1", "WSP.2.3", "ANI.1.1"],
    ),
    services.ResourceData(
        format=ARTICLE,
        type=GUIDE,
        title="Strategia rozwiązywania problemów społecznych – co musi zawierać i jak ją przygotować",
        summary="Wymagane elementy SRPS według art. 16b ust. 2 ustawy o pomocy społecznej i praktyczne wskazówki: diagnoza z danych "
        "i z rozmów z mieszkańcami, zespół międzysektorowy, mierzalne cele, konsultacje, coroczny monitoring.",
        body=SRPS_ARTICLE,
        source="ROPS – poradnik własny",
        licence=OWN,
        topics=["SRPS", "diagnoza społeczna", "planowanie strategiczne"],
        roles=["polityk"],
        competences=["POL.2.1", "POL.2.2", "POL.3.2", "WSP.2.1"],
    ),
    services.ResourceData(
        format=ARTICLE,
        type=GUIDELINES,
        title="Lokalny plan deinstytucjonalizacji (LPDI) – skąd się bierze i z czego się składa",
        summary="Podstawy LPDI (Konwencja ONZ o prawach osób niepełnosprawnych, art. 19; europejskie wytyczne z 2012 r.; krajowa "
        "strategia rozwoju usług społecznych), typowa struktura planu i jego relacja do SRPS.",
        body=LPDI_ARTICLE,
        source="ROPS – opracowanie własne",
        licence=OWN,
        topics=["LPDI", "deinstytucjonalizacja", "usługi społeczne"],
        roles=["polityk"],
        competences=["POL.2.3", "POL.2.1", "WSP.1.2"],
    ),
)

TEMPLATE_TITLE = "Harmonogram prac nad gminną strategią rozwiązywania problemów społecznych – wzór"
TEMPLATE_PAGES = (
    (
        "Harmonogram prac nad gminną strategią rozwiązywania problemów społecznych",
        [
            "Wzór do uzupełnienia przez zespół przygotowujący strategię. Opracowanie własne ROPS.",
            "Etap 1. Powołanie zespołu międzysektorowego (zarządzenie wójta lub burmistrza): ośrodek pomocy społecznej, "
            "urząd gminy, szkoły, ochrona zdrowia, policja, organizacje pozarządowe, przedstawiciele mieszkańców.",
            "Etap 2. Diagnoza sytuacji społecznej: dane ośrodka i urzędu, ocena zasobów pomocy społecznej, ankieta wśród "
            "mieszkańców, spotkania w sołectwach i na osiedlach.",
            "Etap 3. Prognoza zmian, cele strategiczne i kierunki działań; do każdego kierunku wskaźnik i źródło danych.",
            "Etap 4. Konsultacje projektu, uchwała rady gminy, coroczny monitoring.",
        ],
    ),
)
TEMPLATE_V2_EXTRA = (
    "Nowe w wersji 2: " + PDF_ONLY_PHRASE + " – przed konsultacjami projektu zespół ustala z każdą radą sołecką termin "
    "zebrania wiejskiego, na którym przedstawi diagnozę i zbierze uwagi mieszkańców; terminy wpisuje do tabeli poniżej."
)


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "KnowledgeDejaVu"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(Path(current_app.root_path) / "static" / "fonts" / "DejaVuSans.ttf")))
    return name


def template_pdf(*, second_version: bool) -> bytes:
    """The demo template as a PDF (DejaVu, so Polish letters survive text extraction)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=15)
    heading = ParagraphStyle("heading", fontName=font, fontSize=15, leading=19, spaceAfter=8)
    buffer = io.BytesIO()
    story = []
    for title, paragraphs in TEMPLATE_PAGES:
        story += [Paragraph(title, heading)]
        texts = [*paragraphs, TEMPLATE_V2_EXTRA] if second_version else paragraphs
        for text in texts:
            story += [Paragraph(text, body), Spacer(1, 6)]
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=TEMPLATE_TITLE, author="ROPS (demo)", lang="pl-PL")
    doc.build(story)
    return buffer.getvalue()


def _existing(session: Session, title: str) -> Resource | None:
    return session.scalar(select(Resource).where(Resource.title == title))


def create_knowledge_demo(session: Session) -> int:
    """Publish the seed resources, the PDF template in two versions and two learners' proposals; returns how many
    resources were created."""
    staff = accounts.find_user_by_email(session, STAFF_EMAIL)
    learner = accounts.find_user_by_email(session, LEARNER_EMAIL)
    if staff is None:
        return 0
    region = session.scalar(select(TerritorialUnit).where(TerritorialUnit.code == "04"))
    instance = current_app.instance_path
    created = 0
    for item in SEED:
        if _existing(session, item.title) is None:
            services.create_resource(session, user=staff, data=item, instance_path=instance)
            created += 1
    if _existing(session, TEMPLATE_TITLE) is None:
        data = services.ResourceData(
            format=DOCUMENT, type=TEMPLATE, title=TEMPLATE_TITLE,
            summary="Wzór harmonogramu dla zespołu, który przygotowuje gminną strategię: etapy od powołania zespołu po monitoring. "
            "Wersja 2 dodaje uzgadnianie terminów zebrań wiejskich przed konsultacjami.",
            source="ROPS", licence=OWN, published_on=date(2026, 11, 2), unit_id=region.id if region else None,
            topics=["SRPS", "planowanie strategiczne"], roles=["polityk"], competences=["POL.2.2"],
        )  # fmt: skip
        resource = services.create_resource(
            session, user=staff, data=data, file=("harmonogram-srps.pdf", template_pdf(second_version=False)), instance_path=instance
        )
        session.commit()  # version 1's text is extracted now (after commit), before version 2 supersedes it
        services.add_version(
            session, resource, user=staff, filename="harmonogram-srps-v2.pdf", data=template_pdf(second_version=True),
            change_summary="Dodano uzgadnianie terminów zebrań wiejskich z radami sołeckimi przed konsultacjami.", instance_path=instance,
        )  # fmt: skip
        session.commit()
        created += 1
    if learner is not None:
        created += _proposals(session, learner, staff)
    session.flush()
    return created


def _proposals(session: Session, learner, staff) -> int:
    created = 0
    pending = "Ustawa z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie"
    if _existing(session, pending) is None:
        services.create_resource(
            session, user=learner, instance_path=current_app.instance_path,
            data=services.ResourceData(
                format=LINK, type=LEGAL_ACT, title=pending,
                summary="Inicjatywa lokalna, tryb uproszczony (art. 19a) i współpraca gminy z organizacjami – przydaje się przy "
                "każdym pomyśle mieszkańców. Dz.U. 2003 nr 96 poz. 873.",
                url="https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20030960873", source=ISAP, licence=LAW_LICENCE,
                published_on=date(2003, 4, 24), topics=["prawo", "inicjatywa lokalna", "organizacje pozarządowe"], roles=["animator"],
            ),
            proposal_note="Korzystam z niej co tydzień przy klubie sąsiedzkim, a w bazie jej brakuje.",
        )  # fmt: skip
        created += 1
    rejected = "Kurs mediacji w dwie godziny – oferta szkoleniowa"
    if _existing(session, rejected) is None:
        proposal = services.create_resource(
            session, user=learner, instance_path=current_app.instance_path,
            data=services.ResourceData(
                format=LINK, type=GUIDE, title=rejected, summary="Płatny kurs internetowy z mediacji, który znalazłam w reklamie.",
                url="https://example.com/kurs-mediacji", source="firma szkoleniowa", roles=["mediator"],
            ),
        )  # fmt: skip
        services.review(
            session, proposal, reviewer=staff, accept=False,
            reason="To oferta komercyjna, a nie materiał źródłowy. Baza wiedzy przyjmuje akty prawne, publikacje instytucji "
            "publicznych i materiały na otwartych licencjach. Mediacji dotyczy kurs „Mediator w społeczności lokalnej”.",
        )  # fmt: skip
        created += 1
    return created
