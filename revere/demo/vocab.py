"""Words the demo company is made of: names, industries, regions, functions, titles, expertise.

Plain lists, so that the same seed gives the same company on every machine (no Faker: its
data changes between releases, and it is too slow for a million persons).
"""

from __future__ import annotations

OWN_COMPANY = "Lexington Systems"
OWN_DOMAIN = "lexington.example"
ORG_SLUG = "lexington"
PASSWORD = "revere-demo"

FIRST_NAMES = (  # noqa: SIM905 (a block of names reads better than a list literal)
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard Susan "
    "Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra "
    "Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol "
    "Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Helen "
    "Jeffrey Sharon Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna "
    "Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Samantha Benjamin Katherine Samuel "
    "Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond Maria Jack Olivia "
    "Dennis Heather Jerry Diane Tyler Julie Aaron Joyce Jose Victoria Adam Ruth Nathan Virginia Henry "
    "Lauren Zachary Kelly Douglas Christina Peter Joan Kyle Evelyn Noah Judith Ethan Andrea Jeremy Hannah "
    "Walter Megan Christian Cheryl Keith Jacqueline Roger Martha Terry Madison Austin Teresa Sean Gloria "
    "Gerald Sara Carl Janice Harold Ann Dylan Kathryn Arthur Abigail Lawrence Sophia Jordan Frances "
    "Jesse Jean Bryan Alice Billy Judy Bruce Isabella Gabriel Julia Joe Grace Logan Amber Alan Denise "
    "Juan Danielle Albert Marilyn Willie Beverly Elijah Charlotte Wayne Natalie Randy Theresa Vincent "
    "Diana Mason Brittany Roy Doris Ralph Kayla Bobby Alexis Russell Lori Bradley Marie Philip Tiffany "
    "Eugene Kathy Priya Wei Mei Hiroshi Yuki Aisha Omar Fatima Ahmed Ines Lucia Mateo Sofia Diego "
    "Camila Luca Giulia Lars Ingrid Sven Astrid Pieter Anouk Klaus Greta Jan Zofia Nikolai Olga Arjun "
    "Ananya Ravi Deepa Chen Lin Jun Hana Kwame Ama Chidi Ngozi Tomas Elena Marco Chiara Rafael Beatriz "
    "Henrik Freya Mikko Aino Sean Niamh Ewan Isla Dmitri Katya Yusuf Leila Kenji Sakura Tariq Nadia"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
    "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker "
    "Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James "
    "Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster "
    "Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher "
    "Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno "
    "West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall "
    "Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb "
    "Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason "
    "Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills "
    "Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant "
    "Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight Elliott "
    "Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray Berry Perkins Hoffman Johnston "
    "Matthews Pena Richards Willis Carpenter Lawrence Sandoval Tanaka Suzuki Sato Watanabe Yamamoto "
    "Sharma Gupta Singh Kumar Reddy Iyer Wang Zhang Liu Huang Zhao Okafor Mensah Adeyemi Novak Kowalski "
    "Nowak Muller Schneider Fischer Weber Becker Rossi Bianchi Ferrari Esposito Dubois Lefevre Moreau "
    "Laurent Jansen Bakker Visser Larsen Nielsen Johansson Lindqvist Virtanen Korhonen OBrien Byrne "
    "Walsh MacLeod Campbell Ivanov Petrov Haddad Khalil Nakamura Kobayashi Costa Oliveira Pereira Alves"
).split()

# Paul Revere's ride, 18 April 1775: the riders, the patriots who sent them and those who heard them.
SELLER_NAMES = (
    ("Paul", "Revere"),  # the demo seller: a wide, sparse, bridging market network
    ("William", "Dawes"),  # rode the same night with the same news and a thin network
    ("Samuel", "Prescott"),
    ("Israel", "Bissell"),
    ("Sybil", "Ludington"),
    ("Mercy", "Warren"),
    ("Ebenezer", "Dorr"),
    ("Solomon", "Brown"),
    ("Deborah", "Sampson"),
    ("Prince", "Estabrook"),
    ("Hannah", "Winthrop"),
    ("Jonathan", "Harrington"),
)
MANAGER_NAMES = (("Joseph", "Warren"), ("Margaret", "Corbin"), ("John", "Parker"))
ADMIN_NAME = ("Samuel", "Adams")
CEO_NAME = ("Abigail", "Adams")

TEAM_NAMES = (
    "Old North",
    "Charlestown",
    "Concord",
    "Medford",
    "Menotomy",
    "Lincoln",
    "Cambridge",
    "Roxbury",
    "Watertown",
    "Somerville",
    "Woburn",
    "Acton",
    "Bedford",
    "Sudbury",
    "Billerica",
    "Chelmsford",
    "Danvers",
    "Salem",
    "Marblehead",
    "Newburyport",
)

INDUSTRIES = (
    "Banking",
    "Insurance",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Energy",
    "Telecommunications",
    "Public sector",
    "Logistics",
    "Media",
    "Education",
    "Pharmaceuticals",
)

# (region, top-level domain, cities)
REGIONS = (
    ("New England", "com", ("Boston", "Providence", "Hartford", "Worcester", "Portland")),
    ("New York", "com", ("New York", "Albany", "Buffalo", "Rochester")),
    ("Mid-Atlantic", "com", ("Philadelphia", "Baltimore", "Pittsburgh", "Newark")),
    ("Midwest", "com", ("Chicago", "Detroit", "Minneapolis", "Columbus", "Milwaukee")),
    ("South", "com", ("Atlanta", "Charlotte", "Dallas", "Houston", "Nashville")),
    ("West", "com", ("San Francisco", "Seattle", "Los Angeles", "Denver", "Portland")),
    ("Canada", "ca", ("Toronto", "Montreal", "Vancouver", "Ottawa")),
    ("UK & Ireland", "co.uk", ("London", "Manchester", "Edinburgh", "Dublin")),
)

COMPANY_WORDS_A = (  # noqa: SIM905
    "Acorn Alder Anchor Apex Arbor Ashford Atlas Beacon Bedrock Birch Blue Bluff Boulder Bright Brook "
    "Cardinal Cascade Cedar Charter Chestnut Clear Clover Coastal Cobalt Compass Copper Crescent Crest "
    "Crown Delta Eagle Elm Ember Evergreen Falcon Fenway Field Firefly Flint Forge Fox Frontier Garnet "
    "Gilded Granite Green Harbor Harvest Hawthorn Heron Highland Hollow Horizon Iron Ivy Juniper Keystone "
    "Lake Lantern Larch Liberty Linden Maple Meadow Mercury Meridian Mill Minute Monarch North Oak "
    "Ocean Orchard Osprey Pacific Patriot Peak Pine Pioneer Pinnacle Prairie Quarry Raven Redwood Ridge "
    "River Rock Sable Sage Salt Sentinel Shore Silver Spruce Star Stone Summit Sun Tidal Timber Trail "
    "True Union Valley Vantage Vista Willow Winter Yankee Zenith"
).split()

# Second words by industry.
COMPANY_WORDS_B = {
    "Banking": ("Bank", "Savings", "Trust", "Financial", "Capital", "Credit Union", "Bancorp"),
    "Insurance": ("Insurance", "Mutual", "Assurance", "Underwriters", "Casualty", "Life"),
    "Healthcare": ("Health", "Medical", "Clinics", "Hospital", "Care", "Health System"),
    "Manufacturing": ("Manufacturing", "Industries", "Machine Works", "Fabrication", "Components", "Tooling"),
    "Retail": ("Stores", "Outfitters", "Market", "Goods", "Retail", "Supply"),
    "Energy": ("Energy", "Power", "Utilities", "Solar", "Grid", "Gas & Electric"),
    "Telecommunications": ("Telecom", "Networks", "Communications", "Wireless", "Fiber", "Broadband"),
    "Public sector": ("County", "Authority", "Transit", "Water District", "City Services", "Port Authority"),
    "Logistics": ("Freight", "Logistics", "Shipping", "Transport", "Distribution", "Cargo"),
    "Media": ("Media", "Publishing", "Studios", "Broadcasting", "Press", "Digital"),
    "Education": ("University", "College", "Academy", "Learning", "Schools", "Institute"),
    "Pharmaceuticals": ("Pharma", "Therapeutics", "Biosciences", "Labs", "Biotech", "Life Sciences"),
}
LEGAL_FORMS = ("", "", "", "", "Inc.", "LLC", "Corp.", "Ltd", "Group", "Co.")

PARTNER_WORDS = ("Consulting", "Advisors", "Partners", "Integration", "Solutions", "Research", "Analytics")

# External functions (departments) and their titles by seniority.
FUNCTIONS = ("Finance", "IT", "Operations", "Procurement", "Marketing", "Sales", "HR", "Legal")
TITLES = {
    # function: (executive, director, manager, senior, staff)
    "Executive": (
        "Chief Executive Officer",
        "Chief of Staff",
        "Strategy Manager",
        "Senior Analyst",
        "Analyst",
    ),
    "Finance": (
        "Chief Financial Officer",
        "Director of Finance",
        "Finance Manager",
        "Senior Financial Analyst",
        "Financial Analyst",
    ),
    "IT": (
        "Chief Information Officer",
        "Director of IT",
        "IT Manager",
        "Senior Systems Engineer",
        "Systems Engineer",
    ),
    "Operations": (
        "Chief Operating Officer",
        "Director of Operations",
        "Operations Manager",
        "Senior Operations Analyst",
        "Operations Coordinator",
    ),
    "Procurement": (
        "Chief Procurement Officer",
        "Director of Procurement",
        "Procurement Manager",
        "Senior Buyer",
        "Buyer",
    ),
    "Marketing": (
        "Chief Marketing Officer",
        "Director of Marketing",
        "Marketing Manager",
        "Senior Marketing Specialist",
        "Marketing Specialist",
    ),
    "Sales": (
        "Chief Revenue Officer",
        "Director of Sales",
        "Sales Manager",
        "Senior Account Executive",
        "Account Executive",
    ),
    "HR": ("Chief People Officer", "Director of HR", "HR Manager", "Senior HR Partner", "HR Coordinator"),
    "Legal": ("General Counsel", "Director of Legal", "Legal Manager", "Senior Counsel", "Paralegal"),
}
SENIORITIES = ("executive", "director", "manager", "senior", "staff")

# The own company: functions besides sales, with the titles and expertise tags of their people.
OWN_FUNCTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Pre-sales": (
        (
            "VP Solutions Engineering",
            "Solutions Engineering Manager",
            "Principal Solutions Engineer",
            "Solutions Engineer",
        ),
        (
            "solution architecture",
            "data integration",
            "security",
            "cloud migration",
            "analytics",
            "identity",
            "payments",
            "IoT",
        ),
    ),
    "Product": (
        ("Chief Product Officer", "Group Product Manager", "Senior Product Manager", "Product Manager"),
        ("roadmap", "analytics", "mobile", "APIs", "machine learning", "workflow", "reporting"),
    ),
    "Delivery": (
        ("VP Delivery", "Delivery Manager", "Senior Consultant", "Implementation Consultant"),
        (
            "implementation",
            "project management",
            "training",
            "data migration",
            "change management",
            "support",
        ),
    ),
    "Legal": (
        ("General Counsel", "Legal Manager", "Senior Counsel", "Contracts Specialist"),
        ("contracts", "privacy", "procurement", "public tenders", "compliance"),
    ),
    "Finance": (
        ("Chief Financial Officer", "Finance Manager", "Senior Deal Desk Analyst", "Deal Desk Analyst"),
        ("pricing", "deal desk", "financing", "revenue recognition"),
    ),
    "Marketing": (
        ("Chief Marketing Officer", "Marketing Manager", "Senior Field Marketer", "Field Marketer"),
        ("events", "industry marketing", "customer stories", "analyst relations"),
    ),
    "Customer success": (
        (
            "VP Customer Success",
            "Customer Success Manager",
            "Senior Customer Success Manager",
            "Customer Success Associate",
        ),
        ("adoption", "renewals", "customer advocacy", "support"),
    ),
}
# Share of the own company's non-sales staff in each function.
OWN_FUNCTION_SHARES = {
    "Pre-sales": 0.22,
    "Product": 0.18,
    "Delivery": 0.25,
    "Legal": 0.06,
    "Finance": 0.08,
    "Marketing": 0.10,
    "Customer success": 0.11,
}

PRODUCTS = (
    "Lantern Analytics",
    "Belfry Integration Hub",
    "Minuteman Platform",
    "Old North Security",
    "Midnight Ride Mobile",
    "Signal Workflow",
    "Silversmith Reporting",
)

COMMUNITY_KINDS = (
    "{industry} CIO Forum",
    "{region} {industry} Roundtable",
    "{industry} Data Council",
    "{region} Technology Leaders",
    "{industry} Operations Network",
    "{region} Women in Tech",
    "{industry} Alumni Circle",
)

SUBJECTS = {
    "internal": (
        "Deal review",
        "Account planning",
        "Solution workshop",
        "Pipeline check-in",
        "Pricing approval",
        "Contract questions",
        "1:1",
        "Team stand-up",
    ),
    "prospect": (
        "Introduction",
        "Discovery call",
        "Demo",
        "Requirements workshop",
        "Proposal",
        "Follow-up",
        "Pricing discussion",
        "Security questionnaire",
    ),
    "customer": (
        "Quarterly business review",
        "Renewal",
        "Roadmap preview",
        "Escalation",
        "Check-in",
        "Reference request",
        "Expansion ideas",
    ),
    "market": (
        "Catching up",
        "Coffee",
        "Industry panel",
        "Conference",
        "Introduction",
        "Newsletter",
        "Community meetup",
        "Lunch",
    ),
}

REFERENCE_TERMS = (
    "",
    "Calls only",
    "At most one call a quarter",
    "Site visits with notice",
    "Written case study approved",
    "Peers in the same industry only",
)
