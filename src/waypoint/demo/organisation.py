"""The demo administration's org tree and people: fictional, modelled on the founding case.

The structure follows what public sources say of the State Customs Committee of Azerbaijan
(headquarters departments, main departments for air transport and Nakhchivan, Balakan and
Tovuz offices on the Georgian border, the southern posts on the Iranian border). Every
person is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.org import services
from waypoint.org.models import OrgUnit, Role, User

ADMINISTRATION = "SCC"
#: where the sample administration records its declarations (UTC+04:00, no daylight saving)
TIME_ZONE = "Asia/Baku"

#: (code, name, kind, parent code)
UNITS: list[tuple[str, str, str, str | None]] = [
    (ADMINISTRATION, "State Customs Committee (sample)", "administration", None),
    ("HQ-SPD", "Main Department for Activity Assessment and Development Programmes", "hq_department", ADMINISTRATION),
    ("HQ-CAD", "Main Department of Customs Administration", "hq_department", ADMINISTRATION),
    ("HQ-RMD", "Risk Management Department", "hq_department", ADMINISTRATION),
    ("HQ-ITD", "Information Technology Department", "hq_department", ADMINISTRATION),
    ("HQ-HRD", "Human Resources Department", "hq_department", ADMINISTRATION),
    ("HQ-FIN", "Finance and Revenue Department", "hq_department", ADMINISTRATION),
    ("HQ-ENF", "Anti-Smuggling and Enforcement Department", "hq_department", ADMINISTRATION),
    ("HQ-TVO", "Tariff, Valuation and Origin Department", "hq_department", ADMINISTRATION),
    ("HQ-PCA", "Post-Clearance Audit Department", "hq_department", ADMINISTRATION),
    ("HQ-INT", "Internal Audit and Integrity Department", "hq_department", ADMINISTRATION),
    ("HQ-LEG", "Legal Department", "hq_department", ADMINISTRATION),
    ("HQ-ACA", "Customs Academy", "training_centre", ADMINISTRATION),
    ("RD-AIR", "Main Customs Department for Air Transport", "regional_directorate", ADMINISTRATION),
    ("AP-GYD", "Heydar Aliyev International Airport customs post", "airport", "RD-AIR"),
    ("AP-CGO", "Air cargo terminal customs post", "airport", "RD-AIR"),
    ("RD-BAK", "Baku Main Customs Department", "regional_directorate", ADMINISTRATION),
    ("SP-ALT", "Baku International Sea Trade Port (Alat) customs office", "sea_port", "RD-BAK"),
    ("IO-BAK", "Baku inland clearance office", "inland_office", "RD-BAK"),
    ("RD-WST", "Western Customs Directorate", "regional_directorate", ADMINISTRATION),
    ("CO-BAL", "Balakan customs office", "customs_office", "RD-WST"),
    ("BP-MAZ", "Mazimchay border post", "road_border_post", "CO-BAL"),
    ("BP-SDL", "Sadikhli border post", "road_border_post", "CO-BAL"),
    ("CO-TOV", "Tovuz customs office", "customs_office", "RD-WST"),
    ("BP-RED", "Red Bridge border post", "road_border_post", "CO-TOV"),
    ("BP-JAN", "Jandargol border post", "road_border_post", "CO-TOV"),
    ("RP-BKS", "Beyuk Kasik rail border post", "rail_border_post", "CO-TOV"),
    ("RD-NTH", "Northern Customs Directorate", "regional_directorate", ADMINISTRATION),
    ("BP-SAM", "Samur border post", "road_border_post", "RD-NTH"),
    ("BP-KHA", "Khanoba border post", "road_border_post", "RD-NTH"),
    ("RD-STH", "Southern Customs Directorate", "regional_directorate", ADMINISTRATION),
    ("BP-AST", "Astara border post", "road_border_post", "RD-STH"),
    ("BP-BIL", "Bilasuvar border post", "road_border_post", "RD-STH"),
    ("RD-NAX", "Nakhchivan Main Customs Department", "regional_directorate", ADMINISTRATION),
    ("BP-SDK", "Sadarak border post", "road_border_post", "RD-NAX"),
    ("BP-JUL", "Julfa border post", "road_border_post", "RD-NAX"),
]

#: road border posts reported one by one, and how far each sits from the national median (hours)
POST_OFFSETS_UNITS = {"BP-AST": 0.6, "BP-BIL": 0.2, "BP-RED": 0.9, "BP-MAZ": -0.3, "BP-SAM": 0.1, "BP-SDK": -0.5}
#: the first post to report the next year, before the others and before the national figure:
#: its value alone is not the administration's (the page shows "1 of 6 units")
EARLY_POST_REPORT = ("BP-AST", 2015, 2.9)


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    job_title: str
    role: str
    unit: str


PEOPLE = [
    DemoPerson("admin", "Farid", "Valiyev", "System administrator", Role.ADMINISTRATOR, ADMINISTRATION),
    DemoPerson("planner", "Leyla", "Mammadova", "Head of Strategic Planning", Role.PLANNER, "HQ-SPD"),
    DemoPerson("chairman", "Aydin", "Aliyev", "Chairman", Role.APPROVER, ADMINISTRATION),
    DemoPerson("approver", "Rauf", "Hasanov", "Deputy Chairman", Role.APPROVER, ADMINISTRATION),
    DemoPerson("contributor", "Elvin", "Gasimov", "Head, Southern Customs Directorate", Role.CONTRIBUTOR, "RD-STH"),
    DemoPerson(
        "contributor.west", "Aysel", "Karimova", "Head, Western Customs Directorate", Role.CONTRIBUTOR, "RD-WST"
    ),
    DemoPerson("viewer", "Kamran", "Rzayev", "Adviser to the Chairman", Role.VIEWER, ADMINISTRATION),
    DemoPerson("me.officer", "Sevda", "Ismayilova", "Monitoring and evaluation officer", Role.CONTRIBUTOR, "HQ-SPD"),
    DemoPerson("risk.head", "Tural", "Mammadli", "Head, Risk Management Department", Role.CONTRIBUTOR, "HQ-RMD"),
    DemoPerson("hr", "Nigar", "Aliyeva", "Head of the HR records section", Role.HR, "HQ-HRD"),
    DemoPerson("head.astara", "Elchin", "Huseynov", "Head, Astara border post", Role.HEAD, "BP-AST"),
    DemoPerson(
        "contributor.astara", "Nigar", "Huseynova", "Planning officer, Astara border post", Role.CONTRIBUTOR, "BP-AST"
    ),
]


def build_units() -> dict[str, OrgUnit]:
    """Create the units that are missing; existing ones are left as they are."""
    units: dict[str, OrgUnit] = {u.code: u for u in OrgUnit.objects.filter(code__in=[c for c, *_ in UNITS])}
    for position, (code, name, kind, parent) in enumerate(UNITS):
        if code in units:
            continue
        units[code] = services.unit_create(
            actor=None, code=code, name=name, kind=kind, parent=units[parent] if parent else None, position=position
        )
    admin = units[ADMINISTRATION]
    if not admin.is_sample:
        OrgUnit.objects.filter(pk=admin.pk).update(is_sample=True)
        admin.is_sample = True
    if not admin.time_zone:
        admin = services.administration_time_zone_set(actor=None, administration=admin, time_zone=TIME_ZONE)
        units[ADMINISTRATION] = admin
    return units


def build_people(units: dict[str, OrgUnit], password: str) -> list[User]:
    """Create the demo users (with ``password``) and their roles, once."""
    users = []
    for person in PEOPLE:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=person.username,
                password=password,
                first_name=person.first_name,
                last_name=person.last_name,
                job_title=person.job_title,
            )
        services.role_grant(actor=None, user=user, role=person.role, unit=units[person.unit])
        users.append(user)
    return users
