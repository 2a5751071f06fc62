"""The words of the demo's inspection record at HMP/YOI Pentonville: the full inspection of
November 2025 and the independent review of progress (IRP) of October 2026 that follows it
up. Illustrative text in the style of HMI Prisons' and Ofsted's published reports, not
quotations from them."""

from __future__ import annotations

from datetime import date

ESTABLISHMENT_CODE = "PV"
FULL_INSPECTION_STARTS_ON = date(2025, 11, 3)
IRP_STARTS_ON = date(2026, 10, 5)
FULL_INSPECTION_PUBLISHED_ON = date(2026, 2, 10)
FACTUAL_ACCURACY_FROM = date(2026, 1, 12)

# The full inspection's team: (demo user, team role). The demo users sign in, so the record
# can be explored as the team leader, the Ofsted lead and an inspector.
FULL_INSPECTION_TEAM = (
    ("teamleader", "team_leader"),
    ("ofstedlead", "ofsted_lead"),
    ("inspector", "inspector"),
)

BRIEFING_NOTES = (
    "Agreed the lines of enquiry for education, skills and work: the low attendance at "
    "education, the waiting lists for vocational workshops and the slow start of the new "
    "reading strategy. Ofsted will attend the second week."
)

# (author username, day offset from the start, source, aspect code, text)
EVIDENCE = (
    (
        "inspector",
        1,
        "prisoners",
        "BA",
        "In a group of eight prisoners on A wing, six said they had waited more than two "
        "months for an education or work place. Four said they spent more than 22 hours a "
        "day locked in their cells on weekdays.",
    ),
    (
        "inspector",
        2,
        "data",
        "BA",
        "The regime data for the last quarter show that only 41% of prisoners were in "
        "purposeful activity at any one time; attendance at allocated education sessions "
        "averaged 58%.",
    ),
    (
        "ofstedlead",
        8,
        "observation",
        "QE",
        "Level 1 English: the tutor planned the session well and checked learners' "
        "understanding, but three of the eight allocated learners did not arrive because "
        "they had not been unlocked in time.",
    ),
    (
        "ofstedlead",
        8,
        "observation",
        "QE",
        "Barbering workshop: learners developed practical skills to a good standard and "
        "could explain health and safety practice clearly. Progress was recorded well.",
    ),
    (
        "ofstedlead",
        9,
        "staff",
        "PD",
        "The reading lead has trained twelve peer mentors, but the screening of new arrivals "
        "had not started on the house blocks; no prisoner had yet had a reading assessment "
        "in the first week.",
    ),
    (
        "ofstedlead",
        9,
        "documents",
        "LM",
        "The quality improvement plan does not set measurable targets for attendance or "
        "achievement; leaders' self-assessment is too generous about the quality of "
        "education.",
    ),
    (
        "ofstedlead",
        10,
        "staff",
        "LM",
        "Leaders and managers have too little oversight of the allocation process: the "
        "activities hub could not say how many prisoners were waiting for each course.",
    ),
    (
        "teamleader",
        3,
        "documents",
        "SG",
        "Safeguarding arrangements in education meet requirements: staff are trained, "
        "concerns are recorded and followed up, and the designated lead meets the safer "
        "custody team weekly.",
    ),
    (
        "teamleader",
        4,
        "staff",
        "PD",
        "Leaders monitor the participation of different groups; prisoners from minority "
        "ethnic backgrounds are represented in education in line with the population.",
    ),
    (
        "ofstedlead",
        10,
        "data",
        "QE",
        "Achievement rates on English and mathematics courses were 62% last year, well "
        "below those of similar prisons.",
    ),
)

# Observations: (observer username, day offset, kind, activity, minutes, grade slug or "",
# feedback, provider observer).
OBSERVATIONS = (
    (
        "ofstedlead",
        8,
        "formal",
        "Level 1 English",
        60,
        "requires_improvement",
        "Discussed with the tutor how to re-engage learners who arrive late.",
        "",
    ),
    ("ofstedlead", 8, "short_focused", "Barbering workshop", 15, "", "", ""),
    (
        "ofstedlead",
        9,
        "joint",
        "Peer mentor reading session",
        40,
        "",
        "The provider's observer praised the mentors' patience and asked for shorter texts.",
        "Head of education, Novus",
    ),
)

# Judgements at the full inspection: eif-prisons key judgements (code -> level slug).
EDUCATION_GRADES = {
    "QE": "requires_improvement",
    "BA": "inadequate",
    "PD": "requires_improvement",
    "LM": "requires_improvement",
    "SG": "effective",
}
EDUCATION_OVERALL = "requires_improvement"
OVERALL_OVERRIDE_REASON = (
    "Agreed at the moderation meeting: prisoners' attendance is inadequate, but leaders have "
    "begun to improve the quality of education and safeguarding is effective."
)
# Aspects no evidence form is tagged with cite the evidence of a related aspect (IN-7).
EVIDENCE_FOR_UNTAGGED = {"S": "SG", "R": "PD", "PA": "BA", "RRP": "LM"}

# Meetings: (kind, day offset from the start or -1 for the final day, notes).
MEETINGS = (
    (
        "deliberation",
        10,
        "Thursday deliberation: the team agreed the provisional grades for education, skills "
        "and work and the healthy prison test scores.",
    ),
    (
        "final_feedback",
        -1,
        "Feedback to the governor and senior team on the main findings; grades given as "
        "provisional.",
    ),
)
# The healthy prison tests (JG-8): full inspections only.
HEALTHY_PRISON_TESTS = {
    "S": "not_sufficiently_good",
    "R": "not_sufficiently_good",
    "PA": "poor",
    "RRP": "not_sufficiently_good",
}

# (kind, text, paragraph reference)
CONCERNS = (
    (
        "priority",
        "Prisoners spent far too long locked in their cells, and the regime was unpredictable.",
        "1.2",
    ),
    (
        "priority",
        "Leaders had not done enough to reduce the availability of illicit drugs.",
        "1.3",
    ),
    ("key", "Too many prisoners had no allocated education, skills or work activity.", "1.8"),
    ("key", "The assessment of prisoners' reading needs had not started on the wings.", "1.9"),
    (
        "ofsted_key",
        "Leaders and managers did not use data well enough to plan the curriculum.",
        "1.10",
    ),
    (
        "ofsted_key",
        "Attendance at education and vocational training was too low.",
        "1.11",
    ),
)

# (paragraph reference, concern paragraph or "", text)
RECOMMENDATIONS = (
    ("1.12", "1.2", "Prisoners should have a predictable regime that gets them out of cell."),
    ("1.13", "1.3", "Leaders should reduce the supply of and demand for illicit drugs."),
    ("1.14", "1.8", "There should be enough activity places for the whole population."),
    ("1.15", "1.8", "Prisoners should be allocated to activities promptly and fairly."),
    ("1.16", "1.9", "New arrivals should have their reading assessed within a week."),
    ("1.17", "1.9", "Prisoners who cannot read well should receive effective support."),
    ("1.18", "1.10", "Leaders should use data to plan a curriculum that meets needs."),
    ("1.19", "1.11", "Leaders should raise attendance at education and training."),
    ("1.20", "", "Prisoners should be able to make complaints and receive timely replies."),
    ("1.21", "", "Release planning should start early enough to secure accommodation."),
)

POSITIVE_PRACTICE = (
    (
        "The barbering academy, run with a local employer, gave prisoners a recognised "
        "qualification and a guaranteed interview on release.",
        "1.22",
    ),
)

# The IRP: the recommendations followed up (paragraph references of the full inspection),
# each with its narrative paragraphs and progress level (JG-6).
IRP_RECOMMENDATIONS = (
    (
        "1.12",
        "insufficient_progress",
        (
            "Most prisoners were still locked in their cells for more than 20 hours a day "
            "during the week.",
            "The regime had become more predictable since the introduction of a fixed core "
            "day, but it was still curtailed at short notice because of staff shortages.",
        ),
    ),
    (
        "1.13",
        "reasonable_progress",
        (
            "The drug strategy had been revised and the security department had worked with "
            "the police to disrupt supply routes.",
            "The rate of positive random drug tests had fallen from 32% to 21%.",
        ),
    ),
    (
        "1.14",
        "insufficient_progress",
        (
            "There were still activity places for only about two-thirds of the population.",
            "Two new workshops had been planned but had not opened.",
        ),
    ),
    (
        "1.15",
        "reasonable_progress",
        (
            "The allocation process had been centralised and waiting lists were now "
            "published weekly on each wing.",
        ),
    ),
    (
        "1.16",
        "good_progress",
        (
            "All new arrivals now had their reading assessed during induction, and results "
            "were shared with wing staff and tutors.",
        ),
    ),
    (
        "1.19",
        "insufficient_progress",
        (
            "Attendance at education had risen only slightly, to 63%.",
            "Too many sessions were cancelled because prisoners were not unlocked in time.",
        ),
    ),
    (
        "1.21",
        "no_meaningful_progress",
        (
            "Nearly half of prisoners were still released without sustainable accommodation, "
            "the same proportion as at the full inspection.",
        ),
    ),
)

# Notable positive practice found at the IRP, linked to the paragraph of the report it is
# about (RP-7): (the recommendation followed up, which of its paragraphs, text).
IRP_POSITIVE_PRACTICE = (
    (
        "1.16",
        1,
        "Reading assessments at induction were shared the same day with wing staff and "
        "tutors, so that prisoners who could not read well were supported from the start.",
    ),
)

IRP_SELECTION_REASON = (
    "Chosen with Ofsted before the announcement and confirmed at the planning meeting."
)

# Ofsted's themes at the IRP, with narrative and progress level (JG-7).
IRP_THEMES = (
    (
        "What progress have leaders made in increasing the number of prisoners who attend "
        "education, skills and work activities?",
        "insufficient_progress",
        (
            "Leaders had introduced daily attendance monitoring, but attendance remained low "
            "and too many learners arrived late.",
        ),
    ),
    (
        "What progress have leaders made in using data to plan the curriculum?",
        "reasonable_progress",
        (
            "Leaders now used labour market information and prisoners' needs analysis to plan "
            "new courses in construction and hospitality.",
        ),
    ),
    (
        "What progress have leaders made in implementing the reading strategy?",
        "significant_progress",
        (
            "The reading strategy was well established: every new arrival was screened and "
            "peer mentors supported over 60 prisoners each month.",
        ),
    ),
    (
        "What progress have leaders made in ensuring that prisoners are allocated to "
        "activities that meet their needs?",
        "reasonable_progress",
        (
            "The new allocation panel considered prisoners' sentence plans and previous "
            "qualifications, although waiting lists were still long for vocational courses.",
        ),
    ),
)
