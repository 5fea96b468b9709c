"""What an SEN information report must contain: Schedule 1 to the SEND Regulations 2014, and CFA s69(3)(b).

Section 69(2) of the Children and Families Act 2014 requires the governing body of a maintained school
and the proprietor of an academy to prepare an SEN information report; regulation 51 of the SEND
Regulations 2014 says it must contain the information in Schedule 1; section 69(3)(b) adds four items
about disabled pupils. The SEND Code of Practice (6.79 to 6.83) expects the report to be published on the
school's website and updated every year.

Sources (read 30 November 2026): https://www.legislation.gov.uk/uksi/2014/1530/schedule/1 (paragraphs 1
to 7 checked against the text there; the stored copy stopped within paragraph 7, so paragraphs 8 to 13
are as the Regulations give them and should be checked against legislation.gov.uk when this changes), and
https://www.legislation.gov.uk/ukpga/2014/6/section/69 for s69(3)(b).

Each item lists words that, found in the title of an audit section, make that section's criteria and
rationales suggestions for it (``topics``): "Identifying needs" suggests for paragraph 2, "Transitions"
for paragraph 12. The rule is here, once, for every framework a school audits against.
"""

from dataclasses import dataclass

SCHEDULE_1 = "SEND Regulations 2014, Schedule 1"
SECTION_69 = "Children and Families Act 2014, s69(3)(b)"


@dataclass(frozen=True)
class Item:
    key: str  # "1", "3a", "s69-i": stable, stored on ReportSection.item
    heading: str  # the report's heading for parents
    law: str  # what the law asks for, in its words
    citation: str
    topics: tuple[str, ...] = ()  # words in an audit section's title that make it a source of suggestions

    def matches(self, section_title: str) -> bool:
        title = section_title.lower()
        return any(topic in title for topic in self.topics)


def _p(n: str) -> str:
    return f"{SCHEDULE_1}, paragraph {n}"


ITEMS: list[Item] = [
    Item(
        "1",
        "The kinds of special educational needs we provide for",
        "The kinds of special educational needs for which provision is made at the school.",
        _p("1"),
    ),
    Item(
        "2",
        "How we identify and assess special educational needs",
        "Information, in relation to mainstream schools and maintained nursery schools, about the school's "
        "policies for the identification and assessment of pupils with special educational needs.",
        _p("2"),
        ("identif",),
    ),
    Item(
        "3a",
        "How we check that our provision works",
        "How the school evaluates the effectiveness of its provision for such pupils.",
        _p("3(a)"),
        ("evaluat", "impact"),
    ),
    Item(
        "3b",
        "How we assess and review pupils' progress",
        "The school's arrangements for assessing and reviewing the progress of pupils with special "
        "educational needs.",
        _p("3(b)"),
        ("graduated", "assess, plan"),
    ),
    Item(
        "3c",
        "Our approach to teaching pupils with special educational needs",
        "The school's approach to teaching pupils with special educational needs.",
        _p("3(c)"),
        ("adaptive", "quality teaching", "teaching and learning"),
    ),
    Item(
        "3d",
        "How we adapt the curriculum and learning environment",
        "How the school adapts the curriculum and learning environment for pupils with special "
        "educational needs.",
        _p("3(d)"),
        ("curriculum", "environment"),
    ),
    Item(
        "3e",
        "Extra support for learning",
        "Additional support for learning that is available to pupils with special educational needs.",
        _p("3(e)"),
        ("intervention", "additional support"),
    ),
    Item(
        "3f",
        "Taking part in everything the school offers",
        "How the school enables pupils with special educational needs to engage in the activities of the "
        "school (including physical activities) together with children who do not have special "
        "educational needs.",
        _p("3(f)"),
        ("enrich", "beyond the classroom", "extra-curricular"),
    ),
    Item(
        "3g",
        "Support for emotional, mental and social development",
        "Support that is available for improving the emotional, mental and social development of pupils "
        "with special educational needs.",
        _p("3(g)"),
        ("emotional", "wellbeing", "pastoral"),
    ),
    Item(
        "4",
        "Our special educational needs co-ordinator (SENCO)",
        "In relation to mainstream schools and maintained nursery schools, the name and contact details of "
        "the SEN co-ordinator.",
        _p("4"),
    ),
    Item(
        "5",
        "Staff expertise and training",
        "Information about the expertise and training of staff in relation to children and young people "
        "with special educational needs and about how specialist expertise will be secured.",
        _p("5"),
        ("staff", "training", "expertise"),
    ),
    Item(
        "6",
        "Equipment and facilities",
        "Information about how equipment and facilities to support children and young people with special "
        "educational needs will be secured.",
        _p("6"),
        ("equipment", "resources"),
    ),
    Item(
        "7",
        "Working with parents and carers",
        "The arrangements for consulting parents of children with special educational needs about, and "
        "involving such parents in, the education of their child.",
        _p("7"),
        ("parent", "carer", "famil"),
    ),
    Item(
        "8",
        "Involving pupils in their education",
        "The arrangements for consulting young people with special educational needs about, and involving "
        "them in, their education.",
        _p("8"),
        ("pupil voice", "pupils", "young people"),
    ),
    Item(
        "9",
        "Complaints",
        "Any arrangements made by the governing body or the proprietor relating to the treatment of "
        "complaints from parents of pupils with special educational needs concerning the provision made at "
        "the school.",
        _p("9"),
    ),
    Item(
        "10",
        "Working with other services",
        "How the governing body involves other bodies, including health and social services bodies, local "
        "authority support services and voluntary organisations, in meeting the needs of pupils with "
        "special educational needs and in supporting the families of such pupils.",
        _p("10"),
        ("agenc", "external", "partnership"),
    ),
    Item(
        "11",
        "Support services for parents",
        "The contact details of support services for the parents of pupils with special educational needs, "
        "including those for arrangements made in accordance with section 32 of the Act.",
        _p("11"),
    ),
    Item(
        "12",
        "Moving between phases and preparing for adulthood",
        "The school's arrangements for supporting pupils with special educational needs in a transfer "
        "between phases of education or in preparation for adulthood and independent living.",
        _p("12"),
        ("transition", "adulthood"),
    ),
    Item(
        "13",
        "The local authority's local offer",
        "Information on where the local authority's local offer is published.",
        _p("13"),
    ),
    Item(
        "s69-i",
        "Admitting disabled pupils",
        "The arrangements for the admission of disabled persons as pupils at the school.",
        f"{SECTION_69}(i)",
    ),
    Item(
        "s69-ii",
        "Making sure disabled pupils are treated fairly",
        "The steps taken to prevent disabled pupils from being treated less favourably than other pupils.",
        f"{SECTION_69}(ii)",
    ),
    Item(
        "s69-iii",
        "Facilities that help disabled pupils",
        "The facilities provided to assist access to the school by disabled pupils.",
        f"{SECTION_69}(iii)",
        ("accessib",),
    ),
    Item(
        "s69-iv",
        "Our accessibility plan",
        "The plan prepared by the governing body or proprietor under paragraph 3 of Schedule 10 to the "
        "Equality Act 2010 (accessibility plan).",
        f"{SECTION_69}(iv)",
    ),
]

BY_KEY: dict[str, Item] = {item.key: item for item in ITEMS}
