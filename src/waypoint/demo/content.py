"""The words and numbers of the demo plans. Fictional, but plausible for a customs
administration of the size described in the domain brief (figures in §3.6 and §7).

Every value is named (``title=``, ``start=``, ``costs=`` …): the dataclasses below say what
each one is, and ``builder.py`` turns them into the plan through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- plan structure -------------------------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    description: str
    likelihood: int  # 1–5
    impact: int  # 1–5
    mitigation: str
    owner: str


@dataclass(frozen=True)
class Activity:
    title: str
    unit: str  # the responsible unit (its code)
    start: str  # YYYY-MM
    end: str
    status: str
    #: planned spending by year, from ``source``
    costs: dict[int, int] = field(default_factory=dict)
    source: str = "State budget"


@dataclass(frozen=True)
class Initiative:
    title: str
    unit: str  # the responsible unit (its code)
    lead: str
    start: str
    end: str
    status: str
    description: str
    activities: list[Activity]
    risks: list[Risk] = field(default_factory=list)


@dataclass(frozen=True)
class Objective:
    title: str
    unit: str  # the responsible unit (its code)
    description: str
    assumptions: list[str]
    initiatives: list[Initiative]


@dataclass(frozen=True)
class Goal:
    title: str
    unit: str  # the responsible unit (its code)
    description: str
    objectives: list[Objective]


DONE, ONGOING, LATE, NOT_STARTED = "completed", "in_progress", "delayed", "not_started"
EU = "EU technical assistance"
CCF = "Customs Cooperation Fund"
WB = "World Bank trade facilitation loan"

PLAN_TITLE = "Strategic Plan 2012–2016"
VISION = (
    "An innovative, fully automated and trusted customs service that facilitates legitimate trade, "
    "protects society and is part of the international security system."
)
MISSION = (
    "We collect customs revenue fairly, facilitate trade while keeping the supply chain secure, protect "
    "citizens' health and safety, and fight customs offences, with as little contact between officers and "
    "citizens as possible."
)
VALUES = "Integrity\nProfessionalism\nTransparency\nService to traders and citizens\nAccountability for results"
SUMMARY = (
    "Drafted bottom-up by headquarters departments and regional directorates at the November 2011 "
    "strategic-planning workshop, consolidated by the planning department and approved by the Chairman. "
    "It builds on the State Programme 2007–2011, which followed the 2007 diagnostic."
)

GOALS: list[Goal] = [
    Goal(
        title="Fast, predictable clearance that supports trade",
        unit="HQ-CAD",
        description="Traders get goods released quickly and predictably, at the border and inland.",
        objectives=[
            Objective(
                title="Cut release times at border posts, the airport and the sea port",
                unit="HQ-CAD",
                description="Measured by Time Release Studies at every major crossing, repeated each year.",
                assumptions=[
                    "Other border agencies take part in joint controls",
                    "Traders lodge declarations before arrival",
                ],
                initiatives=[
                    Initiative(
                        title="Time Release Study programme",
                        unit="HQ-SPD",
                        lead="Sevda Ismayilova",
                        start="2012-01",
                        end="2016-12",
                        status=ONGOING,
                        description="A yearly TRS following the WCO Guide, from customs system data, published each spring.",
                        activities=[
                            Activity(
                                title="Baseline TRS at six road posts, the airport and Alat",
                                unit="HQ-SPD",
                                start="2012-02",
                                end="2012-09",
                                status=DONE,
                                costs={2012: 85_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Automate TRS extraction from the customs information system",
                                unit="HQ-ITD",
                                start="2013-01",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 140_000},
                            ),
                            Activity(
                                title="Publish yearly TRS reports and act on bottlenecks",
                                unit="HQ-SPD",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 30_000, 2015: 30_000, 2016: 30_000},
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Data extraction misses stages handled on paper",
                                likelihood=3,
                                impact=3,
                                mitigation="Add paper-stage timestamps to the system",
                                owner="Head of IT",
                            )
                        ],
                    ),
                    Initiative(
                        title="Pre-arrival processing for road freight",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2012-06",
                        end="2014-12",
                        status=DONE,
                        description="Short import declaration lodged at least one hour before the truck reaches the border.",
                        activities=[
                            Activity(
                                title="Amend the procedure for pre-arrival lodgement",
                                unit="HQ-LEG",
                                start="2012-06",
                                end="2012-12",
                                status=DONE,
                                costs={2012: 20_000},
                            ),
                            Activity(
                                title="Pilot pre-arrival lodgement at Red Bridge and Astara",
                                unit="RD-WST",
                                start="2013-01",
                                end="2013-09",
                                status=DONE,
                                costs={2013: 60_000},
                            ),
                            Activity(
                                title="Roll out pre-arrival lodgement to all road posts",
                                unit="HQ-CAD",
                                start="2013-10",
                                end="2014-12",
                                status=DONE,
                                costs={2014: 110_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Extended working hours and lane management at road posts",
                        unit="RD-STH",
                        lead="Elvin Gasimov",
                        start="2013-01",
                        end="2015-12",
                        status=ONGOING,
                        description="Round-the-clock operation at the busiest posts, separate lanes for cleared and uncleared trucks.",
                        activities=[
                            Activity(
                                title="Introduce 24-hour shifts at Astara and Bilasuvar",
                                unit="RD-STH",
                                start="2013-01",
                                end="2013-06",
                                status=DONE,
                                costs={2013: 150_000},
                            ),
                            Activity(
                                title="Separate lanes for green-channel trucks at southern posts",
                                unit="BP-AST",
                                start="2014-01",
                                end="2015-12",
                                status=LATE,
                                costs={2014: 260_000, 2015: 180_000},
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Iranian side does not align opening hours",
                                likelihood=4,
                                impact=3,
                                mitigation="Agree joint hours in the bilateral working group",
                                owner="Head, Southern Directorate",
                            )
                        ],
                    ),
                ],
            ),
            Objective(
                title="Target controls through risk-based selectivity",
                unit="HQ-RMD",
                description="Compliant trade moves through the green channel; inspections concentrate where risk is.",
                assumptions=[
                    "Declaration data are complete enough to profile",
                    "Management accepts lower inspection rates",
                ],
                initiatives=[
                    Initiative(
                        title="Automated risk engine for selectivity",
                        unit="HQ-RMD",
                        lead="Tural Mammadli",
                        start="2012-01",
                        end="2014-06",
                        status=DONE,
                        description="Rules and scoring in the customs system assign green, yellow, red and blue channels.",
                        activities=[
                            Activity(
                                title="Design risk profiles and the channel rules",
                                unit="HQ-RMD",
                                start="2012-01",
                                end="2012-10",
                                status=DONE,
                                costs={2012: 90_000},
                                source=EU,
                            ),
                            Activity(
                                title="Deploy the risk engine at all offices",
                                unit="HQ-ITD",
                                start="2012-11",
                                end="2014-06",
                                status=DONE,
                                costs={2013: 420_000, 2014: 180_000},
                                source=EU,
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Officers bypass the engine's channel choice",
                                likelihood=3,
                                impact=4,
                                mitigation="Log and review every override",
                                owner="Head of Risk Management",
                            )
                        ],
                    ),
                    Initiative(
                        title="Risk profile management and feedback loop",
                        unit="HQ-RMD",
                        lead="Tural Mammadli",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Inspection results flow back to profiles; ineffective profiles are retired each quarter.",
                        activities=[
                            Activity(
                                title="Record inspection results in structured form",
                                unit="HQ-CAD",
                                start="2013-01",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 45_000},
                            ),
                            Activity(
                                title="Quarterly profile review board",
                                unit="HQ-RMD",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 15_000, 2015: 15_000, 2016: 15_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Green corridor for compliant traders",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2015-01",
                        end="2016-12",
                        status=NOT_STARTED,
                        description="Low-risk importers cross with a short declaration and no routine border checks.",
                        activities=[
                            Activity(
                                title="Set eligibility criteria with the business association",
                                unit="HQ-CAD",
                                start="2015-01",
                                end="2015-06",
                                status=NOT_STARTED,
                                costs={2015: 25_000},
                            ),
                            Activity(
                                title="Launch the green corridor at road posts",
                                unit="HQ-CAD",
                                start="2015-07",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 80_000, 2016: 120_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Simplify procedures in line with the Revised Kyoto Convention",
                unit="HQ-LEG",
                description="Fewer documents, one submission to all border agencies, rules that traders can predict.",
                assumptions=["Parliament passes the implementing acts on time"],
                initiatives=[
                    Initiative(
                        title="Single window for border agencies",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2012-01",
                        end="2016-06",
                        status=ONGOING,
                        description="One electronic submission serves customs, veterinary, phytosanitary and standards controls.",
                        activities=[
                            Activity(
                                title="Connect veterinary and phytosanitary services",
                                unit="HQ-ITD",
                                start="2012-03",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 200_000, 2013: 240_000},
                                source=WB,
                            ),
                            Activity(
                                title="Connect standards and transport inspectorates",
                                unit="HQ-ITD",
                                start="2014-01",
                                end="2016-06",
                                status=LATE,
                                costs={2014: 260_000, 2015: 220_000, 2016: 90_000},
                                source=WB,
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Agencies keep parallel paper procedures",
                                likelihood=4,
                                impact=4,
                                mitigation="Decree making the electronic submission the only one",
                                owner="Deputy Chairman",
                            )
                        ],
                    ),
                    Initiative(
                        title="Align customs legislation with the RKC General Annex",
                        unit="HQ-LEG",
                        lead="Nargiz Huseynova",
                        start="2012-01",
                        end="2013-12",
                        status=DONE,
                        description="Gap analysis against the General Annex, amendments to the Customs Code and its regulations.",
                        activities=[
                            Activity(
                                title="RKC gap analysis with WCO experts",
                                unit="HQ-LEG",
                                start="2012-01",
                                end="2012-06",
                                status=DONE,
                                costs={2012: 35_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Draft and consult amendments",
                                unit="HQ-LEG",
                                start="2012-07",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 25_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Reduce documents required at import and export",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2013-01",
                        end="2015-12",
                        status=ONGOING,
                        description="Drop documents that duplicate data already in the declaration.",
                        activities=[
                            Activity(
                                title="Inventory of documents and their legal basis",
                                unit="HQ-CAD",
                                start="2013-01",
                                end="2013-06",
                                status=DONE,
                                costs={2013: 10_000},
                            ),
                            Activity(
                                title="Withdraw redundant documents by regulation",
                                unit="HQ-LEG",
                                start="2013-07",
                                end="2015-12",
                                status=ONGOING,
                                costs={2014: 15_000, 2015: 10_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Launch an Authorised Economic Operator programme",
                unit="HQ-CAD",
                description="Trusted traders get faster clearance in return for proven compliance and security.",
                assumptions=["Enough traders meet the criteria", "Mutual recognition is pursued with neighbours"],
                initiatives=[
                    Initiative(
                        title="AEO legal basis and certification procedure",
                        unit="HQ-LEG",
                        lead="Nargiz Huseynova",
                        start="2012-06",
                        end="2013-12",
                        status=DONE,
                        description="Criteria modelled on the SAFE Framework; a certification unit in headquarters.",
                        activities=[
                            Activity(
                                title="Adopt the AEO regulation",
                                unit="HQ-LEG",
                                start="2012-06",
                                end="2013-03",
                                status=DONE,
                                costs={2012: 15_000, 2013: 10_000},
                            ),
                            Activity(
                                title="Train the certification team",
                                unit="HQ-ACA",
                                start="2013-01",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 40_000},
                                source=EU,
                            ),
                        ],
                    ),
                    Initiative(
                        title="Certify the first AEOs",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2013-06",
                        end="2016-12",
                        status=LATE,
                        description="Audit applicants, certify, and give certified traders their benefits.",
                        activities=[
                            Activity(
                                title="Outreach to large importers and exporters",
                                unit="HQ-CAD",
                                start="2013-06",
                                end="2014-06",
                                status=DONE,
                                costs={2013: 10_000, 2014: 10_000},
                            ),
                            Activity(
                                title="Audit and certify applicants",
                                unit="HQ-PCA",
                                start="2014-01",
                                end="2016-12",
                                status=LATE,
                                costs={2014: 60_000, 2015: 70_000, 2016: 70_000},
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Applicants fail the security criteria",
                                likelihood=3,
                                impact=3,
                                mitigation="Pre-assessment clinics for applicants",
                                owner="Head of AEO unit",
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    Goal(
        title="Fair, efficient and effective revenue collection",
        unit="HQ-FIN",
        description="The right duty and tax is collected at the lowest cost to traders and the state.",
        objectives=[
            Objective(
                title="Strengthen valuation control and post-clearance audit",
                unit="HQ-PCA",
                description="Control moves from the border to audits of traders' records after release.",
                assumptions=["Traders keep records that can be audited"],
                initiatives=[
                    Initiative(
                        title="Post-clearance audit capacity",
                        unit="HQ-PCA",
                        lead="Rashad Abbasov",
                        start="2012-01",
                        end="2015-12",
                        status=ONGOING,
                        description="An audit department with risk-based selection of traders to audit.",
                        activities=[
                            Activity(
                                title="Recruit and train 40 auditors",
                                unit="HQ-HRD",
                                start="2012-01",
                                end="2013-06",
                                status=DONE,
                                costs={2012: 120_000, 2013: 80_000},
                                source=EU,
                            ),
                            Activity(
                                title="Risk-based audit selection from declaration data",
                                unit="HQ-PCA",
                                start="2013-07",
                                end="2015-12",
                                status=ONGOING,
                                costs={2014: 50_000, 2015: 30_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Valuation database and price risk indicators",
                        unit="HQ-TVO",
                        lead="Gunay Safarova",
                        start="2012-06",
                        end="2014-06",
                        status=DONE,
                        description="Reference values from past declarations flag under-valuation for review.",
                        activities=[
                            Activity(
                                title="Build the valuation database",
                                unit="HQ-ITD",
                                start="2012-06",
                                end="2013-06",
                                status=DONE,
                                costs={2012: 70_000, 2013: 90_000},
                            ),
                            Activity(
                                title="Train valuation officers in the WTO Valuation Agreement",
                                unit="HQ-ACA",
                                start="2013-01",
                                end="2014-06",
                                status=DONE,
                                costs={2013: 30_000, 2014: 20_000},
                                source=CCF,
                            ),
                        ],
                    ),
                    Initiative(
                        title="Valuation appeals and rulings",
                        unit="HQ-LEG",
                        lead="Nargiz Huseynova",
                        start="2014-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Consistent, published decisions on disputed valuations.",
                        activities=[
                            Activity(
                                title="Publish anonymised valuation decisions",
                                unit="HQ-LEG",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 5_000, 2015: 5_000, 2016: 5_000},
                            ),
                            Activity(
                                title="Joint appeals committee with the business association",
                                unit="HQ-LEG",
                                start="2015-01",
                                end="2015-12",
                                status=NOT_STARTED,
                                costs={2015: 8_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Increase voluntary compliance and electronic payment",
                unit="HQ-FIN",
                description="Duties paid electronically, on time, with fewer arrears.",
                assumptions=["Banks support real-time payment confirmation"],
                initiatives=[
                    Initiative(
                        title="Electronic payment of duties and taxes",
                        unit="HQ-FIN",
                        lead="Orkhan Nasirov",
                        start="2012-01",
                        end="2014-12",
                        status=DONE,
                        description="Payment through banks and the e-government portal, confirmed to the customs system in real time.",
                        activities=[
                            Activity(
                                title="Agreements with commercial banks",
                                unit="HQ-FIN",
                                start="2012-01",
                                end="2012-09",
                                status=DONE,
                                costs={2012: 10_000},
                            ),
                            Activity(
                                title="Payment interface with the treasury",
                                unit="HQ-ITD",
                                start="2012-06",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 60_000, 2013: 90_000},
                            ),
                            Activity(
                                title="E-payment terminals at border posts",
                                unit="HQ-FIN",
                                start="2013-06",
                                end="2014-12",
                                status=DONE,
                                costs={2013: 70_000, 2014: 70_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Trader information and help desk",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="A call centre and web guidance so that traders get it right the first time.",
                        activities=[
                            Activity(
                                title="Open the customs call centre",
                                unit="HQ-CAD",
                                start="2013-01",
                                end="2013-09",
                                status=DONE,
                                costs={2013: 55_000},
                            ),
                            Activity(
                                title="Publish step-by-step guides for each regime",
                                unit="HQ-CAD",
                                start="2013-06",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 12_000, 2015: 12_000, 2016: 12_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Strengthen tariff classification and origin control",
                unit="HQ-TVO",
                description="Goods are classified consistently and preferential origin claims are verified.",
                assumptions=["Harmonized System 2012 amendments are in force"],
                initiatives=[
                    Initiative(
                        title="Binding tariff information",
                        unit="HQ-TVO",
                        lead="Gunay Safarova",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Traders can ask for a binding classification ruling before importing.",
                        activities=[
                            Activity(
                                title="Adopt the binding ruling procedure",
                                unit="HQ-LEG",
                                start="2013-01",
                                end="2013-06",
                                status=DONE,
                                costs={2013: 8_000},
                            ),
                            Activity(
                                title="Issue and publish rulings",
                                unit="HQ-TVO",
                                start="2013-07",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 20_000, 2015: 20_000, 2016: 20_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Customs laboratory for classification",
                        unit="HQ-TVO",
                        lead="Gunay Safarova",
                        start="2014-01",
                        end="2016-06",
                        status=LATE,
                        description="Laboratory analysis of samples to settle classification disputes.",
                        activities=[
                            Activity(
                                title="Equip the customs laboratory",
                                unit="HQ-FIN",
                                start="2014-01",
                                end="2015-06",
                                status=LATE,
                                costs={2014: 350_000, 2015: 250_000},
                                source=EU,
                            ),
                            Activity(
                                title="Accredit laboratory methods",
                                unit="HQ-TVO",
                                start="2015-07",
                                end="2016-06",
                                status=NOT_STARTED,
                                costs={2015: 30_000, 2016: 30_000},
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    Goal(
        title="Protect society and secure the supply chain",
        unit="HQ-ENF",
        description="Drugs, weapons and excise fraud are stopped; the supply chain is secure, as the SAFE Framework asks.",
        objectives=[
            Objective(
                title="Intelligence-led enforcement against smuggling",
                unit="HQ-ENF",
                description="Seizures come from analysis and profiles, not from routine checks.",
                assumptions=["Cooperation with police and security services is maintained"],
                initiatives=[
                    Initiative(
                        title="Customs intelligence unit",
                        unit="HQ-ENF",
                        lead="Anar Bayramov",
                        start="2012-01",
                        end="2013-12",
                        status=DONE,
                        description="Analysts turn seizure data, tip-offs and partner information into targets.",
                        activities=[
                            Activity(
                                title="Set up the intelligence unit and its analysts",
                                unit="HQ-ENF",
                                start="2012-01",
                                end="2012-12",
                                status=DONE,
                                costs={2012: 130_000},
                            ),
                            Activity(
                                title="Seizure database shared with the regions",
                                unit="HQ-ITD",
                                start="2012-06",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 40_000, 2013: 60_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Detector dog and mobile team capacity",
                        unit="HQ-ENF",
                        lead="Anar Bayramov",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Mobile teams and detector dogs deployed where the risk is highest.",
                        activities=[
                            Activity(
                                title="Train 20 dog handlers",
                                unit="HQ-ACA",
                                start="2013-01",
                                end="2014-06",
                                status=DONE,
                                costs={2013: 90_000, 2014: 40_000},
                            ),
                            Activity(
                                title="Equip four mobile teams",
                                unit="HQ-ENF",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 120_000, 2015: 80_000, 2016: 60_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Excise goods tracking",
                        unit="HQ-ENF",
                        lead="Anar Bayramov",
                        start="2014-01",
                        end="2016-12",
                        status=NOT_STARTED,
                        description="Tax stamps and tracking for cigarettes and alcohol in transit.",
                        activities=[
                            Activity(
                                title="Feasibility study for excise tracking",
                                unit="HQ-ENF",
                                start="2014-01",
                                end="2014-12",
                                status=LATE,
                                costs={2014: 35_000},
                            ),
                            Activity(
                                title="Pilot tracking on the northern transit route",
                                unit="RD-NTH",
                                start="2015-01",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 150_000, 2016: 150_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Secure the international supply chain",
                unit="HQ-RMD",
                description="Advance electronic cargo information and non-intrusive inspection at the main crossings.",
                assumptions=["Carriers can send advance cargo information"],
                initiatives=[
                    Initiative(
                        title="Advance cargo information",
                        unit="HQ-RMD",
                        lead="Tural Mammadli",
                        start="2012-06",
                        end="2015-12",
                        status=ONGOING,
                        description="Carriers send manifest data before arrival so risk can be assessed in time.",
                        activities=[
                            Activity(
                                title="Advance information requirement for road carriers",
                                unit="HQ-LEG",
                                start="2012-06",
                                end="2013-06",
                                status=DONE,
                                costs={2012: 10_000, 2013: 10_000},
                            ),
                            Activity(
                                title="Advance information for air and sea cargo",
                                unit="HQ-ITD",
                                start="2013-07",
                                end="2015-12",
                                status=ONGOING,
                                costs={2014: 160_000, 2015: 120_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Non-intrusive inspection equipment",
                        unit="HQ-FIN",
                        lead="Orkhan Nasirov",
                        start="2012-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Truck and container scanners at the main road posts and Alat.",
                        activities=[
                            Activity(
                                title="Scanners at Red Bridge, Astara and Samur",
                                unit="HQ-FIN",
                                start="2012-01",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 1_800_000, 2013: 1_200_000},
                                source=WB,
                            ),
                            Activity(
                                title="Container scanner at Alat sea port",
                                unit="SP-ALT",
                                start="2014-01",
                                end="2015-06",
                                status=LATE,
                                costs={2014: 1_500_000, 2015: 700_000},
                                source=WB,
                            ),
                            Activity(
                                title="Image analysis centre linking all scanners",
                                unit="HQ-RMD",
                                start="2015-01",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 250_000, 2016: 200_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Coordinated border management with agencies and neighbours",
                unit="HQ-CAD",
                description="One stop at the border, shared with other agencies and, where possible, the neighbour.",
                assumptions=["Neighbouring administrations are willing to hold joint controls"],
                initiatives=[
                    Initiative(
                        title="Joint controls with Georgia at Red Bridge",
                        unit="RD-WST",
                        lead="Aysel Karimova",
                        start="2013-01",
                        end="2015-12",
                        status=ONGOING,
                        description="A single stop for trucks, with both administrations in one facility.",
                        activities=[
                            Activity(
                                title="Bilateral agreement on joint controls",
                                unit="HQ-LEG",
                                start="2013-01",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 15_000},
                            ),
                            Activity(
                                title="Joint control facility at Red Bridge",
                                unit="BP-RED",
                                start="2014-01",
                                end="2015-12",
                                status=LATE,
                                costs={2014: 400_000, 2015: 300_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Border agency coordination committee",
                        unit="HQ-CAD",
                        lead="Javid Aliyev",
                        start="2012-01",
                        end="2012-12",
                        status=DONE,
                        description="Customs chairs a committee of all agencies present at the border.",
                        activities=[
                            Activity(
                                title="Terms of reference and first meetings",
                                unit="HQ-CAD",
                                start="2012-01",
                                end="2012-06",
                                status=DONE,
                                costs={2012: 5_000},
                            ),
                            Activity(
                                title="Common inspection schedule at road posts",
                                unit="HQ-CAD",
                                start="2012-07",
                                end="2012-12",
                                status=DONE,
                                costs={2012: 10_000},
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    Goal(
        title="A professional, knowledge-based and ethical workforce",
        unit="HQ-HRD",
        description="Officers have the education, skills, knowledge and attitudes that the new activity profile requires.",
        objectives=[
            Objective(
                title="Competency-based human resource management",
                unit="HQ-HRD",
                description="Every post has a profile of what its holder must know, be able to do and value.",
                assumptions=["Civil service rules allow competency-based selection"],
                initiatives=[
                    Initiative(
                        title="Job profiles based on the WCO PICARD standards",
                        unit="HQ-HRD",
                        lead="Zaur Guliyev",
                        start="2012-01",
                        end="2013-12",
                        status=DONE,
                        description="Operational and managerial competency profiles for every post.",
                        activities=[
                            Activity(
                                title="Competency framework drafted with the Academy",
                                unit="HQ-HRD",
                                start="2012-01",
                                end="2012-09",
                                status=DONE,
                                costs={2012: 40_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Profiles written and approved for all posts",
                                unit="HQ-HRD",
                                start="2012-10",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 30_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Merit-based recruitment and promotion",
                        unit="HQ-HRD",
                        lead="Zaur Guliyev",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Open competitions and tests linked to the job profiles.",
                        activities=[
                            Activity(
                                title="Competitive examinations for new recruits",
                                unit="HQ-HRD",
                                start="2013-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2013: 25_000, 2014: 25_000, 2015: 25_000, 2016: 25_000},
                            ),
                            Activity(
                                title="Performance appraisal linked to profiles",
                                unit="HQ-HRD",
                                start="2014-01",
                                end="2015-12",
                                status=LATE,
                                costs={2014: 20_000, 2015: 20_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Build the training capacity of the Customs Academy",
                unit="HQ-ACA",
                description="A national training centre with accredited trainers and a curriculum tied to the profiles.",
                assumptions=["Officers are released from duty for training"],
                initiatives=[
                    Initiative(
                        title="Academy curriculum and trainers",
                        unit="HQ-ACA",
                        lead="Ilgar Mustafayev",
                        start="2012-01",
                        end="2015-12",
                        status=ONGOING,
                        description="A curriculum per competency and a pool of accredited in-house trainers.",
                        activities=[
                            Activity(
                                title="Train-the-trainer programme",
                                unit="HQ-ACA",
                                start="2012-01",
                                end="2014-12",
                                status=DONE,
                                costs={2012: 60_000, 2013: 60_000, 2014: 40_000},
                                source=EU,
                            ),
                            Activity(
                                title="Curriculum for risk management and audit",
                                unit="HQ-ACA",
                                start="2013-01",
                                end="2015-12",
                                status=ONGOING,
                                costs={2013: 30_000, 2014: 30_000, 2015: 20_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="E-learning platform",
                        unit="HQ-ACA",
                        lead="Ilgar Mustafayev",
                        start="2014-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Courses officers at remote posts can take without travelling.",
                        activities=[
                            Activity(
                                title="Install the e-learning platform",
                                unit="HQ-ITD",
                                start="2014-01",
                                end="2014-12",
                                status=DONE,
                                costs={2014: 70_000},
                            ),
                            Activity(
                                title="Produce 20 e-learning courses",
                                unit="HQ-ACA",
                                start="2015-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2015: 45_000, 2016: 45_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Leadership development for managers",
                        unit="HQ-ACA",
                        lead="Ilgar Mustafayev",
                        start="2015-01",
                        end="2016-12",
                        status=NOT_STARTED,
                        description="A programme for heads of offices and departments.",
                        activities=[
                            Activity(
                                title="Design the leadership programme",
                                unit="HQ-ACA",
                                start="2015-01",
                                end="2015-06",
                                status=NOT_STARTED,
                                costs={2015: 20_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Run two cohorts",
                                unit="HQ-ACA",
                                start="2015-07",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 30_000, 2016: 40_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Strengthen integrity and professional ethics",
                unit="HQ-INT",
                description="Fewer opportunities for misconduct and visible consequences when it happens.",
                assumptions=["Management supports disciplinary decisions"],
                initiatives=[
                    Initiative(
                        title="Code of conduct and asset declarations",
                        unit="HQ-INT",
                        lead="Samir Orujov",
                        start="2012-01",
                        end="2013-06",
                        status=DONE,
                        description="A code every officer signs, with yearly asset declarations.",
                        activities=[
                            Activity(
                                title="Adopt and publish the code of conduct",
                                unit="HQ-INT",
                                start="2012-01",
                                end="2012-06",
                                status=DONE,
                                costs={2012: 10_000},
                            ),
                            Activity(
                                title="Yearly asset declarations for all officers",
                                unit="HQ-INT",
                                start="2012-07",
                                end="2013-06",
                                status=DONE,
                                costs={2012: 15_000, 2013: 10_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Integrity risk mapping and internal audit",
                        unit="HQ-INT",
                        lead="Samir Orujov",
                        start="2013-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Map where discretion creates risk and audit those processes first.",
                        activities=[
                            Activity(
                                title="Integrity risk map with the WCO Integrity Development Guide",
                                unit="HQ-INT",
                                start="2013-01",
                                end="2013-12",
                                status=DONE,
                                costs={2013: 30_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Rotation of officers at border posts",
                                unit="HQ-HRD",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 10_000, 2015: 10_000, 2016: 10_000},
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Rotation disrupts local expertise",
                                likelihood=3,
                                impact=2,
                                mitigation="Rotate in stages and keep handover notes",
                                owner="Head of HR",
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    Goal(
        title="A fully automated, data-driven customs service",
        unit="HQ-ITD",
        description="All procedures are electronic, data flow between agencies and neighbours, and decisions use evidence.",
        objectives=[
            Objective(
                title="Complete the automated customs information system",
                unit="HQ-ITD",
                description="Every regime declared, processed and paid electronically.",
                assumptions=["Broadband reaches every border post"],
                initiatives=[
                    Initiative(
                        title="Electronic declaration for all regimes",
                        unit="HQ-ITD",
                        lead="Vusal Rahimov",
                        start="2012-01",
                        end="2014-12",
                        status=DONE,
                        description="Extend e-declaration from import and export to transit, warehousing and processing.",
                        activities=[
                            Activity(
                                title="E-declaration for transit and warehousing",
                                unit="HQ-ITD",
                                start="2012-01",
                                end="2013-06",
                                status=DONE,
                                costs={2012: 300_000, 2013: 150_000},
                            ),
                            Activity(
                                title="E-declaration for inward and outward processing",
                                unit="HQ-ITD",
                                start="2013-07",
                                end="2014-12",
                                status=DONE,
                                costs={2013: 120_000, 2014: 180_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Data centre and disaster recovery",
                        unit="HQ-ITD",
                        lead="Vusal Rahimov",
                        start="2013-01",
                        end="2015-12",
                        status=ONGOING,
                        description="A second site so that the system stays available.",
                        activities=[
                            Activity(
                                title="Build the backup data centre",
                                unit="HQ-ITD",
                                start="2013-01",
                                end="2014-12",
                                status=DONE,
                                costs={2013: 650_000, 2014: 400_000},
                            ),
                            Activity(
                                title="Disaster recovery tests twice a year",
                                unit="HQ-ITD",
                                start="2015-01",
                                end="2015-12",
                                status=ONGOING,
                                costs={2015: 20_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Measure performance with data",
                unit="HQ-SPD",
                description="Indicators are computed from operational data and reviewed by management every quarter.",
                assumptions=["Management reviews performance quarterly"],
                initiatives=[
                    Initiative(
                        title="Performance measurement framework",
                        unit="HQ-SPD",
                        lead="Leyla Mammadova",
                        start="2012-01",
                        end="2013-12",
                        status=DONE,
                        description="Indicator reference sheets, baselines and targets for the plan.",
                        activities=[
                            Activity(
                                title="Indicator reference sheets and baselines",
                                unit="HQ-SPD",
                                start="2012-01",
                                end="2012-06",
                                status=DONE,
                                costs={2012: 15_000},
                            ),
                            Activity(
                                title="Quarterly performance review with management",
                                unit="HQ-SPD",
                                start="2012-07",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 5_000, 2013: 10_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Management information system",
                        unit="HQ-ITD",
                        lead="Vusal Rahimov",
                        start="2014-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Dashboards computed from the customs system instead of spreadsheets.",
                        activities=[
                            Activity(
                                title="Data warehouse fed nightly from the customs system",
                                unit="HQ-ITD",
                                start="2014-01",
                                end="2015-06",
                                status=LATE,
                                costs={2014: 220_000, 2015: 120_000},
                            ),
                            Activity(
                                title="Management dashboards for the Chairman and regions",
                                unit="HQ-SPD",
                                start="2015-07",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 40_000, 2016: 60_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Modernise border infrastructure",
                unit="HQ-FIN",
                description="Posts with enough lanes, parking and facilities for the traffic they handle.",
                assumptions=["Capital budget is released on schedule"],
                initiatives=[
                    Initiative(
                        title="New terminal at Red Bridge",
                        unit="RD-WST",
                        lead="Aysel Karimova",
                        start="2013-01",
                        end="2016-12",
                        status=LATE,
                        description="A terminal with separate lanes and parking for 300 trucks.",
                        activities=[
                            Activity(
                                title="Design and land acquisition",
                                unit="HQ-FIN",
                                start="2013-01",
                                end="2014-06",
                                status=DONE,
                                costs={2013: 300_000, 2014: 200_000},
                            ),
                            Activity(
                                title="Construction",
                                unit="HQ-FIN",
                                start="2014-07",
                                end="2016-12",
                                status=LATE,
                                costs={2014: 2_000_000, 2015: 4_500_000, 2016: 3_000_000},
                            ),
                        ],
                        risks=[
                            Risk(
                                description="Construction costs exceed the estimate",
                                likelihood=4,
                                impact=4,
                                mitigation="Fixed-price contract with penalties",
                                owner="Head of Finance",
                            )
                        ],
                    ),
                    Initiative(
                        title="Upgrade of southern and northern posts",
                        unit="HQ-FIN",
                        lead="Orkhan Nasirov",
                        start="2012-06",
                        end="2016-12",
                        status=ONGOING,
                        description="More lanes at Astara, Bilasuvar and Samur.",
                        activities=[
                            Activity(
                                title="Two additional lanes at Astara",
                                unit="RD-STH",
                                start="2012-06",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 600_000, 2013: 900_000},
                            ),
                            Activity(
                                title="New bridge lanes at Samur",
                                unit="RD-NTH",
                                start="2014-01",
                                end="2016-12",
                                status=ONGOING,
                                costs={2014: 1_200_000, 2015: 1_800_000, 2016: 900_000},
                            ),
                        ],
                    ),
                ],
            ),
            Objective(
                title="Exchange data electronically with neighbouring administrations",
                unit="HQ-ITD",
                description="Advance data on goods leaving a neighbour's territory arrive before the goods do.",
                assumptions=["Partners agree on a common message standard"],
                initiatives=[
                    Initiative(
                        title="Electronic exchange of export data",
                        unit="HQ-ITD",
                        lead="Vusal Rahimov",
                        start="2012-06",
                        end="2016-12",
                        status=ONGOING,
                        description="Agreements and message exchange with Georgia, Russia, Uzbekistan, Ukraine and Moldova.",
                        activities=[
                            Activity(
                                title="Exchange with Georgia",
                                unit="HQ-ITD",
                                start="2012-06",
                                end="2013-12",
                                status=DONE,
                                costs={2012: 80_000, 2013: 60_000},
                                source=EU,
                            ),
                            Activity(
                                title="Exchange with Russia and Uzbekistan",
                                unit="HQ-ITD",
                                start="2014-01",
                                end="2015-12",
                                status=ONGOING,
                                costs={2014: 90_000, 2015: 90_000},
                            ),
                            Activity(
                                title="Exchange with Ukraine and Moldova",
                                unit="HQ-ITD",
                                start="2015-06",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 40_000, 2016: 80_000},
                            ),
                        ],
                    ),
                    Initiative(
                        title="Electronic transit with the Caspian corridor partners",
                        unit="RD-BAK",
                        lead="Ramin Jafarov",
                        start="2014-01",
                        end="2016-12",
                        status=ONGOING,
                        description="Electronic transit declarations for ferry and rail cargo crossing the country.",
                        activities=[
                            Activity(
                                title="Transit data model agreed with partners",
                                unit="HQ-CAD",
                                start="2014-01",
                                end="2014-12",
                                status=DONE,
                                costs={2014: 25_000},
                                source=CCF,
                            ),
                            Activity(
                                title="Electronic transit at Alat and Beyuk Kasik",
                                unit="SP-ALT",
                                start="2015-01",
                                end="2016-12",
                                status=NOT_STARTED,
                                costs={2015: 110_000, 2016: 90_000},
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
]


@dataclass(frozen=True)
class Source:
    """A funding source of the administration."""

    name: str
    kind: str


FUNDING_SOURCES = [
    Source(name="State budget", kind="state_budget"),
    Source(name=EU, kind="donor"),
    Source(name=CCF, kind="donor"),
    Source(name=WB, kind="loan"),
]

# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One demo indicator. ``element`` is a code, ``owner`` a unit's; targets and actuals are
    per year."""

    element: str
    name: str
    unit_of_measure: str
    direction: str
    aggregation: str
    owner: str
    baseline: float
    targets: dict[int, float]
    actuals: dict[int, float]
    data_source: str
    verification: str
    definition: str = ""
    cumulative: bool = False
    key: bool = False
    decimals: int = 1
    upper: dict[int, float] = field(default_factory=dict)
    by_post: bool = False
    tolerance: float = 15
    tolerance_kind: str = "relative"
    frequency: str = "year"


TRS = "Time Release Study (WCO method), customs information system timestamps"
SYS = "Customs information system"

INDICATORS: list[Indicator] = [
    # goal 1 — facilitation
    Indicator(
        element="G1",
        name="Average time to clear a road border crossing",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        owner="HQ-SPD",
        baseline=7.5,
        targets={2012: 6.5, 2013: 5.5, 2014: 4.5, 2015: 3.8, 2016: 3.0},
        actuals={2012: 6.6, 2013: 5.4, 2014: 5.4},
        data_source="Corridor performance monitoring (truck survey) and TRS",
        verification="Published TRS report; corridor monitoring report",
        definition="Time from a truck's arrival at the border post to its exit, averaged over all trucks in the sample.",
        key=True,
    ),
    Indicator(
        element="O1.1",
        name="Median arrival-to-release time at road border posts",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        owner="HQ-SPD",
        baseline=4.2,
        targets={2012: 3.6, 2013: 3.0, 2014: 2.4, 2015: 1.9, 2016: 1.5},
        actuals={2012: 3.5, 2013: 3.1, 2014: 2.6},
        data_source=TRS,
        verification="TRS dataset and report",
        definition="Median, over declarations, of the hours between arrival and release.",
        key=True,
        by_post=True,
        decimals=2,
    ),
    Indicator(
        element="O1.1",
        name="Share of declarations released within one hour of lodgement",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-SPD",
        baseline=38,
        targets={2012: 45, 2013: 52, 2014: 60, 2015: 68, 2016: 75},
        actuals={2012: 46, 2013: 51, 2014: 50},
        data_source=SYS,
        verification="Monthly extract of release times",
    ),
    Indicator(
        element="O1.1",
        name="Average release time for air cargo",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        owner="RD-AIR",
        baseline=14,
        targets={2012: 12, 2013: 10, 2014: 8.5, 2015: 7, 2016: 6},
        actuals={2012: 11.5, 2013: 9.2, 2014: 8.1},
        data_source=TRS,
        verification="TRS report (air)",
    ),
    Indicator(
        element="O1.1",
        name="Average release time for sea containers at Alat",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        owner="RD-BAK",
        baseline=60,
        targets={2012: 54, 2013: 46, 2014: 38, 2015: 30, 2016: 24},
        actuals={2012: 57, 2013: 55, 2014: 51},
        data_source=TRS,
        verification="TRS report (sea)",
        decimals=0,
    ),
    Indicator(
        element="O1.2",
        name="Share of declarations in the green channel",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-RMD",
        baseline=22,
        targets={2012: 30, 2013: 38, 2014: 45, 2015: 52, 2016: 60},
        actuals={2012: 31, 2013: 38, 2014: 41},
        data_source=SYS,
        verification="Selectivity statistics",
        key=True,
    ),
    Indicator(
        element="O1.2",
        name="Physical inspection rate",
        unit_of_measure="%",
        direction="range",
        aggregation="mean",
        owner="HQ-RMD",
        baseline=48,
        targets={2012: 30, 2013: 20, 2014: 15, 2015: 10, 2016: 8},
        actuals={2012: 36, 2013: 31, 2014: 22},
        data_source=SYS,
        verification="Selectivity statistics",
        definition="Share of declarations sent for physical examination (red channel).",
        upper={2012: 40, 2013: 30, 2014: 25, 2015: 20, 2016: 15},
        tolerance=3,
        tolerance_kind="absolute",
    ),
    Indicator(
        element="O1.2",
        name="Hit rate of physical inspections",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-RMD",
        baseline=3,
        targets={2012: 4.5, 2013: 6, 2014: 8, 2015: 10, 2016: 12},
        actuals={2012: 4.6, 2013: 6.1, 2014: 8.8},
        data_source=SYS,
        verification="Inspection results register",
        definition="Share of physical inspections that find an irregularity.",
    ),
    Indicator(
        element="O1.3",
        name="Border agencies connected to the single window",
        unit_of_measure="agencies",
        direction="increase",
        aggregation="latest",
        owner="HQ-CAD",
        baseline=2,
        targets={2012: 3, 2013: 4, 2014: 6, 2015: 7, 2016: 8},
        actuals={2012: 3, 2013: 4, 2014: 4},
        data_source="Single window operator",
        verification="Connection agreements",
        decimals=0,
    ),
    Indicator(
        element="O1.3",
        name="Documents required for an import declaration",
        unit_of_measure="documents",
        direction="decrease",
        aggregation="latest",
        owner="HQ-CAD",
        baseline=9,
        targets={2012: 8, 2013: 7, 2014: 6, 2015: 6, 2016: 5},
        actuals={2012: 8, 2013: 7, 2014: 7},
        data_source="Customs regulations",
        verification="Published list of required documents",
        decimals=0,
    ),
    Indicator(
        element="O1.3",
        name="RKC General Annex standards implemented",
        unit_of_measure="%",
        direction="increase",
        aggregation="latest",
        owner="HQ-LEG",
        baseline=55,
        targets={2012: 65, 2013: 80, 2014: 90, 2015: 95, 2016: 100},
        actuals={2012: 66, 2013: 82, 2014: 88},
        data_source="Legal gap analysis",
        verification="RKC self-assessment checklist",
        decimals=0,
    ),
    Indicator(
        element="O1.4",
        name="Authorised Economic Operators certified",
        unit_of_measure="operators",
        direction="increase",
        aggregation="sum",
        owner="HQ-CAD",
        baseline=0,
        targets={2013: 10, 2014: 25, 2015: 45, 2016: 70},
        actuals={2013: 6, 2014: 10},
        data_source="AEO register",
        verification="Certification decisions",
        definition="Operators holding a valid AEO certificate, counted from the start of the programme.",
        cumulative=True,
        decimals=0,
    ),
    Indicator(
        element="O1.4",
        name="Share of import value declared by AEOs",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-CAD",
        baseline=0,
        targets={2013: 3, 2014: 8, 2015: 18, 2016: 30},
        actuals={2013: 2, 2014: 4},
        data_source=SYS,
        verification="Declaration statistics by trader status",
    ),
    Indicator(
        element="I1.1.1",
        name="Time Release Studies published",
        unit_of_measure="studies",
        direction="increase",
        aggregation="sum",
        owner="HQ-SPD",
        baseline=0,
        targets={2012: 1, 2013: 2, 2014: 3, 2015: 4, 2016: 5},
        actuals={2012: 1, 2013: 2, 2014: 3},
        data_source="TRS reports",
        verification="Published reports",
        cumulative=True,
        decimals=0,
    ),
    # goal 2 — revenue
    Indicator(
        element="G2",
        name="Customs revenue collected",
        unit_of_measure="AZN million",
        direction="increase",
        aggregation="sum",
        owner="HQ-FIN",
        baseline=1950,
        targets={2012: 2150, 2013: 2350, 2014: 2550, 2015: 2750, 2016: 2950},
        actuals={2012: 2214, 2013: 2418, 2014: 2480},
        data_source="Treasury accounts",
        verification="Monthly revenue reports reconciled with the treasury",
        key=True,
        decimals=0,
        frequency="quarter",
    ),
    Indicator(
        element="G2",
        name="Revenue collected against the state budget forecast",
        unit_of_measure="%",
        direction="range",
        aggregation="mean",
        owner="HQ-FIN",
        baseline=104,
        targets={2012: 100, 2013: 100, 2014: 100, 2015: 100, 2016: 100},
        actuals={2012: 103, 2013: 106, 2014: 98.5},
        data_source="Treasury accounts",
        verification="Budget execution report",
        upper={2012: 105, 2013: 105, 2014: 105, 2015: 105, 2016: 105},
        tolerance=2,
        tolerance_kind="absolute",
        decimals=0,
    ),
    Indicator(
        element="O2.1",
        name="Additional revenue assessed by post-clearance audit",
        unit_of_measure="AZN million",
        direction="increase",
        aggregation="sum",
        owner="HQ-PCA",
        baseline=12,
        targets={2012: 18, 2013: 26, 2014: 35, 2015: 47, 2016: 60},
        actuals={2012: 19, 2013: 24, 2014: 36},
        data_source="PCA case register",
        verification="Audit reports",
    ),
    Indicator(
        element="O2.1",
        name="Post-clearance audits completed",
        unit_of_measure="audits",
        direction="increase",
        aggregation="sum",
        owner="HQ-PCA",
        baseline=120,
        targets={2012: 200, 2013: 300, 2014: 400, 2015: 500, 2016: 600},
        actuals={2012: 190, 2013: 280, 2014: 350},
        data_source="PCA case register",
        verification="Audit reports",
        decimals=0,
    ),
    Indicator(
        element="O2.1",
        name="Valuation adjustments upheld on appeal",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-TVO",
        baseline=60,
        targets={2012: 65, 2013: 70, 2014: 75, 2015: 80, 2016: 85},
        actuals={2012: 66, 2013: 71, 2014: 77},
        data_source="Appeals register",
        verification="Appeal decisions",
        decimals=0,
    ),
    Indicator(
        element="O2.2",
        name="Share of duties and taxes paid electronically",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-FIN",
        baseline=35,
        targets={2012: 50, 2013: 65, 2014: 80, 2015: 90, 2016: 95},
        actuals={2012: 52, 2013: 71, 2014: 86},
        data_source=SYS,
        verification="Payment statistics",
        key=True,
        decimals=0,
    ),
    Indicator(
        element="O2.2",
        name="Arrears as a share of revenue",
        unit_of_measure="%",
        direction="decrease",
        aggregation="mean",
        owner="HQ-FIN",
        baseline=4.5,
        targets={2012: 4.0, 2013: 3.4, 2014: 2.8, 2015: 2.1, 2016: 1.5},
        actuals={2012: 4.1, 2013: 3.6, 2014: 3.5},
        data_source="Treasury accounts",
        verification="Arrears ledger",
    ),
    Indicator(
        element="O2.3",
        name="Binding tariff rulings issued",
        unit_of_measure="rulings",
        direction="increase",
        aggregation="sum",
        owner="HQ-TVO",
        baseline=0,
        targets={2013: 40, 2014: 120, 2015: 250, 2016: 400},
        actuals={2013: 35, 2014: 90},
        data_source="Rulings register",
        verification="Published rulings",
        cumulative=True,
        decimals=0,
    ),
    Indicator(
        element="O2.3",
        name="Classification errors found in the audit sample",
        unit_of_measure="%",
        direction="decrease",
        aggregation="mean",
        owner="HQ-TVO",
        baseline=11,
        targets={2012: 10, 2013: 8.5, 2014: 7, 2015: 5.5, 2016: 4},
        actuals={2012: 9.8, 2013: 8.0, 2014: 6.9},
        data_source="PCA sample review",
        verification="Audit findings",
    ),
    Indicator(
        element="I2.2.1",
        name="Border posts with e-payment terminals",
        unit_of_measure="posts",
        direction="increase",
        aggregation="latest",
        owner="HQ-FIN",
        baseline=2,
        targets={2012: 4, 2013: 8, 2014: 12, 2015: 12, 2016: 12},
        actuals={2012: 4, 2013: 9, 2014: 12},
        data_source="Finance department",
        verification="Installation acceptance reports",
        decimals=0,
    ),
    # goal 3 — protection
    Indicator(
        element="G3",
        name="Value of smuggled goods seized",
        unit_of_measure="AZN million",
        direction="increase",
        aggregation="sum",
        owner="HQ-ENF",
        baseline=18,
        targets={2012: 21, 2013: 25, 2014: 29, 2015: 34, 2016: 40},
        actuals={2012: 22, 2013: 24, 2014: 31},
        data_source="Seizure database",
        verification="Seizure reports",
        key=True,
    ),
    Indicator(
        element="O3.1",
        name="Drug seizure cases",
        unit_of_measure="cases",
        direction="increase",
        aggregation="sum",
        owner="HQ-ENF",
        baseline=85,
        targets={2012: 95, 2013: 110, 2014: 125, 2015: 140, 2016: 160},
        actuals={2012: 97, 2013: 104, 2014: 121},
        data_source="Seizure database",
        verification="Case files",
        decimals=0,
    ),
    Indicator(
        element="O3.1",
        name="Share of seizures resulting from risk profiles or intelligence",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-ENF",
        baseline=25,
        targets={2012: 30, 2013: 38, 2014: 45, 2015: 52, 2016: 60},
        actuals={2012: 29, 2013: 33, 2014: 35},
        data_source="Seizure database",
        verification="Seizure reports with detection method",
        decimals=0,
    ),
    Indicator(
        element="O3.1",
        name="Cigarettes seized",
        unit_of_measure="million sticks",
        direction="increase",
        aggregation="sum",
        owner="HQ-ENF",
        baseline=40,
        targets={2012: 45, 2013: 52, 2014: 60, 2015: 75, 2016: 90},
        actuals={2012: 48, 2013: 51, 2014: 63},
        data_source="Seizure database",
        verification="Seizure reports",
        decimals=0,
    ),
    Indicator(
        element="O3.2",
        name="Cargo covered by advance electronic information",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-RMD",
        baseline=15,
        targets={2012: 25, 2013: 40, 2014: 55, 2015: 75, 2016: 90},
        actuals={2012: 27, 2013: 41, 2014: 50},
        data_source=SYS,
        verification="Manifest statistics",
        decimals=0,
    ),
    Indicator(
        element="O3.2",
        name="Border posts with non-intrusive inspection equipment",
        unit_of_measure="posts",
        direction="increase",
        aggregation="latest",
        owner="HQ-FIN",
        baseline=3,
        targets={2012: 4, 2013: 6, 2014: 8, 2015: 10, 2016: 12},
        actuals={2012: 4, 2013: 6, 2014: 6},
        data_source="Finance department",
        verification="Acceptance reports",
        decimals=0,
    ),
    Indicator(
        element="O3.2",
        name="Containers and trucks scanned",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-RMD",
        baseline=5,
        targets={2012: 8, 2013: 12, 2014: 16, 2015: 20, 2016: 25},
        actuals={2012: 8, 2013: 13, 2014: 17},
        data_source=SYS,
        verification="Scanner logs",
        decimals=0,
    ),
    Indicator(
        element="O3.3",
        name="Border posts with joint controls",
        unit_of_measure="posts",
        direction="increase",
        aggregation="latest",
        owner="HQ-CAD",
        baseline=0,
        targets={2013: 1, 2014: 2, 2015: 4, 2016: 6},
        actuals={2013: 0, 2014: 1},
        data_source="Bilateral agreements",
        verification="Joint control protocols",
        decimals=0,
    ),
    Indicator(
        element="O3.3",
        name="Average time for veterinary and phytosanitary checks at the border",
        unit_of_measure="hours",
        direction="decrease",
        aggregation="mean",
        owner="HQ-CAD",
        baseline=6,
        targets={2012: 5.2, 2013: 4.4, 2014: 3.6, 2015: 2.8, 2016: 2},
        actuals={2012: 5.0, 2013: 4.3, 2014: 3.5},
        data_source=TRS,
        verification="TRS report (OGA stage)",
    ),
    # goal 4 — people
    Indicator(
        element="G4",
        name="Trader perception of customs professionalism",
        unit_of_measure="score 0–100",
        direction="increase",
        aggregation="mean",
        owner="HQ-SPD",
        baseline=48,
        targets={2013: 55, 2015: 63, 2016: 70},
        actuals={2013: 56},
        data_source="Business survey (every two years)",
        verification="Survey report",
        decimals=0,
    ),
    Indicator(
        element="O4.1",
        name="Posts with an approved competency profile",
        unit_of_measure="%",
        direction="increase",
        aggregation="latest",
        owner="HQ-HRD",
        baseline=0,
        targets={2012: 40, 2013: 100, 2014: 100, 2015: 100, 2016: 100},
        actuals={2012: 45, 2013: 100, 2014: 100},
        data_source="HR register",
        verification="Approved job profiles",
        decimals=0,
    ),
    Indicator(
        element="O4.1",
        name="Appointments made through open competition",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-HRD",
        baseline=30,
        targets={2012: 45, 2013: 60, 2014: 75, 2015: 85, 2016: 90},
        actuals={2012: 44, 2013: 55, 2014: 66},
        data_source="HR register",
        verification="Competition records",
        decimals=0,
    ),
    Indicator(
        element="O4.2",
        name="Officers trained in risk management and audit",
        unit_of_measure="officers",
        direction="increase",
        aggregation="sum",
        owner="HQ-ACA",
        baseline=50,
        targets={2012: 200, 2013: 420, 2014: 650, 2015: 900, 2016: 1200},
        actuals={2012: 190, 2013: 400, 2014: 590},
        data_source="Academy records",
        verification="Attendance lists and certificates",
        definition="Officers who completed the risk-management or audit course, counted from the baseline.",
        cumulative=True,
        decimals=0,
    ),
    Indicator(
        element="O4.2",
        name="Training hours per officer",
        unit_of_measure="hours",
        direction="increase",
        aggregation="mean",
        owner="HQ-ACA",
        baseline=12,
        targets={2012: 18, 2013: 24, 2014: 30, 2015: 36, 2016: 40},
        actuals={2012: 17, 2013: 25, 2014: 31},
        data_source="Academy records",
        verification="Training register",
        decimals=0,
    ),
    Indicator(
        element="O4.2",
        name="Accredited in-house trainers",
        unit_of_measure="trainers",
        direction="increase",
        aggregation="latest",
        owner="HQ-ACA",
        baseline=8,
        targets={2012: 14, 2013: 20, 2014: 28, 2015: 35, 2016: 40},
        actuals={2012: 15, 2013: 22, 2014: 29},
        data_source="Academy records",
        verification="Accreditation certificates",
        decimals=0,
    ),
    Indicator(
        element="O4.3",
        name="Substantiated integrity complaints per 1,000 declarations",
        unit_of_measure="per 1,000",
        direction="decrease",
        aggregation="mean",
        owner="HQ-INT",
        baseline=0.9,
        targets={2012: 0.8, 2013: 0.7, 2014: 0.55, 2015: 0.4, 2016: 0.3},
        actuals={2012: 0.82, 2013: 0.74, 2014: 0.71},
        data_source="Internal audit case register",
        verification="Investigation reports",
        decimals=2,
    ),
    Indicator(
        element="O4.3",
        name="Officers who filed the yearly asset declaration",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-INT",
        baseline=40,
        targets={2012: 80, 2013: 100, 2014: 100, 2015: 100, 2016: 100},
        actuals={2012: 83, 2013: 98, 2014: 100},
        data_source="Integrity department",
        verification="Declaration register",
        decimals=0,
    ),
    Indicator(
        element="O4.3",
        name="Trader perception of integrity",
        unit_of_measure="score 0–100",
        direction="increase",
        aggregation="mean",
        owner="HQ-INT",
        baseline=45,
        targets={2013: 52, 2015: 62, 2016: 70},
        actuals={2013: 50},
        data_source="Business survey (every two years)",
        verification="Survey report",
        decimals=0,
    ),
    # goal 5 — automation
    Indicator(
        element="G5",
        name="Share of declarations lodged electronically",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-ITD",
        baseline=62,
        targets={2012: 75, 2013: 85, 2014: 93, 2015: 97, 2016: 99},
        actuals={2012: 78, 2013: 89, 2014: 95},
        data_source=SYS,
        verification="System statistics",
        key=True,
        decimals=0,
    ),
    Indicator(
        element="O5.1",
        name="Customs regimes covered by e-declaration",
        unit_of_measure="regimes",
        direction="increase",
        aggregation="latest",
        owner="HQ-ITD",
        baseline=6,
        targets={2012: 8, 2013: 11, 2014: 14, 2015: 14, 2016: 14},
        actuals={2012: 8, 2013: 12, 2014: 14},
        data_source=SYS,
        verification="Release notes",
        decimals=0,
    ),
    Indicator(
        element="O5.1",
        name="Availability of the customs information system",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="HQ-ITD",
        baseline=97.0,
        targets={2012: 97.5, 2013: 98.2, 2014: 98.8, 2015: 99.2, 2016: 99.5},
        actuals={2012: 97.9, 2013: 98.0, 2014: 99.1},
        data_source="Monitoring logs",
        verification="Availability reports",
        tolerance=0.5,
        tolerance_kind="absolute",
    ),
    Indicator(
        element="O5.2",
        name="Plan indicators computed automatically from system data",
        unit_of_measure="indicators",
        direction="increase",
        aggregation="latest",
        owner="HQ-SPD",
        baseline=0,
        targets={2012: 3, 2013: 8, 2014: 14, 2015: 20, 2016: 25},
        actuals={2012: 3, 2013: 6, 2014: 9},
        data_source="Planning department",
        verification="Indicator reference sheets",
        decimals=0,
    ),
    Indicator(
        element="O5.2",
        name="Quarterly performance reviews held by management",
        unit_of_measure="reviews",
        direction="increase",
        aggregation="sum",
        owner="HQ-SPD",
        baseline=0,
        targets={2012: 2, 2013: 4, 2014: 4, 2015: 4, 2016: 4},
        actuals={2012: 2, 2013: 4, 2014: 3},
        data_source="Planning department",
        verification="Minutes of review meetings",
        decimals=0,
    ),
    Indicator(
        element="O5.3",
        name="Border posts with modernised infrastructure",
        unit_of_measure="posts",
        direction="increase",
        aggregation="latest",
        owner="HQ-FIN",
        baseline=2,
        targets={2012: 3, 2013: 4, 2014: 6, 2015: 8, 2016: 10},
        actuals={2012: 3, 2013: 4, 2014: 5},
        data_source="Finance department",
        verification="Commissioning reports",
        decimals=0,
    ),
    Indicator(
        element="O5.3",
        name="Peak truck queue at Red Bridge",
        unit_of_measure="trucks",
        direction="decrease",
        aggregation="mean",
        owner="RD-WST",
        baseline=1350,
        targets={2012: 1200, 2013: 1000, 2014: 650, 2015: 450, 2016: 300},
        actuals={2012: 1180, 2013: 960, 2014: 1010},
        data_source="Border post daily reports",
        verification="Queue counts",
        decimals=0,
    ),
    Indicator(
        element="O5.4",
        name="Administrations exchanging advance data electronically",
        unit_of_measure="administrations",
        direction="increase",
        aggregation="latest",
        owner="HQ-ITD",
        baseline=1,
        targets={2012: 1, 2013: 2, 2014: 3, 2015: 4, 2016: 5},
        actuals={2012: 1, 2013: 2, 2014: 3},
        data_source="IT department",
        verification="Exchange agreements and message logs",
        decimals=0,
    ),
    Indicator(
        element="O5.4",
        name="Transit movements with electronic data exchange",
        unit_of_measure="%",
        direction="increase",
        aggregation="mean",
        owner="RD-BAK",
        baseline=10,
        targets={2012: 15, 2013: 25, 2014: 35, 2015: 50, 2016: 70},
        actuals={2012: 14, 2013: 23, 2014: 31},
        data_source=SYS,
        verification="Transit statistics",
        decimals=0,
    ),
    Indicator(
        element="I4.2.2",
        name="E-learning courses available",
        unit_of_measure="courses",
        direction="increase",
        aggregation="latest",
        owner="HQ-ACA",
        baseline=0,
        targets={2014: 2, 2015: 10, 2016: 20},
        actuals={2014: 2},
        data_source="Academy",
        verification="Course catalogue",
        decimals=0,
    ),
]

#: quarterly shares of yearly revenue (the third quarter is the busiest)
REVENUE_QUARTERS = (0.23, 0.25, 0.27, 0.25)


@dataclass(frozen=True)
class Revision:
    """A target changed during the plan: from ``original`` to ``value``, on ``on`` (a date)."""

    element: str
    indicator: str  # its name
    year: int
    original: float
    value: float
    reason: str
    on: str  # YYYY-MM-DD


#: target revisions recorded during the plan
REVISIONS = [
    Revision(
        element="O1.2",
        indicator="Share of declarations in the green channel",
        year=2014,
        original=50,
        value=45,
        reason="Re-based after the 2012 TRS showed slower risk-engine roll-out at road posts.",
        on="2014-03-14",
    ),
    Revision(
        element="O4.2",
        indicator="Officers trained in risk management and audit",
        year=2014,
        original=600,
        value=650,
        reason="Academy capacity confirmed after the train-the-trainer programme.",
        on="2014-03-14",
    ),
]


@dataclass(frozen=True)
class Statement:
    """A SWOT or PESTLE statement and the objectives (codes) that answer it."""

    category: str
    text: str
    objectives: list[str]


SWOT = [
    Statement(
        category="strength",
        text="Electronic declaration already covers most import and export traffic",
        objectives=["O5.1"],
    ),
    Statement(
        category="strength",
        text="Single window at border checkpoints since 2009 cut control time from days to minutes",
        objectives=["O1.3"],
    ),
    Statement(
        category="strength",
        text="Committed leadership and a planning department that owns the plan",
        objectives=["O5.2"],
    ),
    Statement(
        category="strength",
        text="Strategic position on the East–West and North–South transport corridors",
        objectives=["O1.1", "O5.4"],
    ),
    Statement(category="weakness", text="Inspection rates remain high and are not driven by risk", objectives=["O1.2"]),
    Statement(category="weakness", text="Release times are not measured systematically", objectives=["O1.1", "O5.2"]),
    Statement(category="weakness", text="Job descriptions do not state the competencies required", objectives=["O4.1"]),
    Statement(
        category="weakness", text="Post-clearance audit is small and selects traders by hand", objectives=["O2.1"]
    ),
    Statement(
        category="weakness",
        text="Facilities at the busiest road posts are too small for current traffic",
        objectives=["O5.3"],
    ),
    Statement(
        category="opportunity", text="Transit traffic on the Caspian corridor is growing quickly", objectives=["O5.4"]
    ),
    Statement(
        category="opportunity",
        text="Donors fund trade facilitation and border modernisation",
        objectives=["O3.2", "O5.3"],
    ),
    Statement(
        category="opportunity", text="Neighbours are ready to exchange data electronically", objectives=["O5.4", "O3.3"]
    ),
    Statement(category="threat", text="Drug trafficking routes shift towards the southern border", objectives=["O3.1"]),
    Statement(category="threat", text="Falling oil prices increase pressure on non-oil revenue", objectives=["O2.2"]),
    Statement(category="threat", text="Experienced officers leave for the private sector", objectives=[]),
]

PESTLE = [
    Statement(
        category="political", text="Government commitment to WTO accession and trade facilitation", objectives=["O1.3"]
    ),
    Statement(
        category="political",
        text="Presidential decree on the single window principle at border checkpoints",
        objectives=["O1.3"],
    ),
    Statement(category="economic", text="Non-oil trade growth is a national priority", objectives=["O1.1", "O1.4"]),
    Statement(category="economic", text="Customs revenue is about one eighth of the state budget", objectives=["O2.2"]),
    Statement(category="social", text="Traders expect services online and round the clock", objectives=["O5.1"]),
    Statement(category="social", text="Public sensitivity to corruption at the border", objectives=["O4.3"]),
    Statement(
        category="technological", text="Scanning and data analytics become affordable", objectives=["O3.2", "O5.2"]
    ),
    Statement(
        category="technological", text="E-government portal and digital signatures are available", objectives=["O5.1"]
    ),
    Statement(category="legal", text="New Customs Code in preparation", objectives=["O1.3"]),
    Statement(category="legal", text="Revised Kyoto Convention standards to be transposed", objectives=["O1.3"]),
    Statement(category="environmental", text="Growing trade in waste and ozone-depleting substances", objectives=[]),
    Statement(category="environmental", text="Long truck queues add emissions at border posts", objectives=["O5.3"]),
]


@dataclass(frozen=True)
class Function:
    """A function of the activity profile, its priority and the objectives (codes) it serves."""

    name: str
    priority: str
    description: str
    objectives: list[str]


FUNCTIONS = [
    Function(
        name="Revenue collection",
        priority="high",
        description="Assess and collect duties, VAT and excise at import.",
        objectives=["O2.1", "O2.2", "O2.3"],
    ),
    Function(
        name="Trade facilitation",
        priority="high",
        description="Release legitimate goods quickly and predictably.",
        objectives=["O1.1", "O1.2", "O1.3", "O1.4", "O5.4"],
    ),
    Function(
        name="Enforcement and anti-smuggling",
        priority="high",
        description="Detect and stop smuggling of drugs, weapons and excise goods.",
        objectives=["O3.1", "O1.2"],
    ),
    Function(
        name="Border and supply-chain security",
        priority="high",
        description="Secure the international supply chain under the SAFE Framework.",
        objectives=["O3.2", "O1.4", "O3.3"],
    ),
    Function(
        name="Protection of society",
        priority="medium",
        description="Health, safety, environment and cultural property controls.",
        objectives=["O3.1", "O3.3"],
    ),
    Function(
        name="Trade statistics",
        priority="medium",
        description="Accurate foreign-trade statistics from declarations.",
        objectives=["O5.1", "O5.2"],
    ),
    Function(
        name="Institutional development",
        priority="medium",
        description="People, integrity and management of the administration.",
        objectives=["O4.1", "O4.2", "O4.3", "O5.2"],
    ),
    Function(
        name="Protection of intellectual property rights",
        priority="low",
        description="Border measures against counterfeit goods.",
        objectives=[],
    ),
]
