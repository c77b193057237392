"""The raw material of the demo organisation: skills, teams, places and names. No logic here."""

from __future__ import annotations

DEMO_DOMAIN = "demo.opentohelp.org"
# Shared by every demo account so anyone exploring can log in as any seeded person.
DEMO_PASSWORD = "open-to-help-demo"  # noqa: S105 - a published demo password, on purpose

MENTEE_EMAIL = f"mentee@{DEMO_DOMAIN}"
MENTOR_EMAIL = f"mentor@{DEMO_DOMAIN}"
ORGANISER_EMAIL = f"organiser@{DEMO_DOMAIN}"
# A superuser (not staff: no Django admin), so company login and SCIM can be tried; never on a production
# instance (``seed_demo``), where its published password would let anyone decide who signs in as whom.
SITE_ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"

# (name, category, parent or None, aliases). Parents are listed before their children.
SKILLS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    # Programming languages
    ("Python", "Programming languages", None, ("py", "python3")),
    ("JavaScript", "Programming languages", None, ("JS", "ECMAScript")),
    ("TypeScript", "Programming languages", "JavaScript", ("TS",)),
    ("Go", "Programming languages", None, ("Golang",)),
    ("Rust", "Programming languages", None, ()),
    ("Java", "Programming languages", None, ()),
    ("Kotlin", "Programming languages", None, ()),
    ("Swift", "Programming languages", None, ("iOS development",)),
    ("C#", "Programming languages", None, ("csharp", "dotnet")),
    ("Ruby", "Programming languages", None, ()),
    ("SQL", "Programming languages", None, ()),
    # Web development
    ("Django", "Web development", "Python", ("Django REST framework",)),
    ("Flask", "Web development", "Python", ()),
    ("FastAPI", "Web development", "Python", ()),
    ("React", "Web development", "JavaScript", ("React.js", "ReactJS")),
    ("Vue.js", "Web development", "JavaScript", ("Vue",)),
    ("Node.js", "Web development", "JavaScript", ("Node", "NodeJS")),
    ("Next.js", "Web development", "React", ("NextJS",)),
    ("HTML & CSS", "Web development", None, ("HTML", "CSS")),
    ("Web accessibility", "Web development", None, ("a11y", "WCAG")),
    ("GraphQL", "Web development", None, ()),
    ("REST API design", "Web development", None, ("REST", "API design")),
    # Data & analytics
    ("pandas", "Data & analytics", "Python", ()),
    ("NumPy", "Data & analytics", "Python", ()),
    ("Data visualisation", "Data & analytics", None, ("dataviz", "data visualization")),
    ("Statistics", "Data & analytics", None, ("stats",)),
    ("A/B testing", "Data & analytics", "Statistics", ("split testing", "experimentation")),
    ("dbt", "Data & analytics", "SQL", ()),
    ("Apache Spark", "Data & analytics", None, ("Spark", "PySpark")),
    ("Tableau", "Data & analytics", None, ()),
    ("Spreadsheets", "Data & analytics", None, ("Excel", "Google Sheets")),
    # Machine learning & AI
    ("Machine learning", "Machine learning & AI", None, ("ML",)),
    ("Deep learning", "Machine learning & AI", "Machine learning", ("DL", "neural networks")),
    ("PyTorch", "Machine learning & AI", "Deep learning", ()),
    ("TensorFlow", "Machine learning & AI", "Deep learning", ("Keras",)),
    ("scikit-learn", "Machine learning & AI", "Machine learning", ("sklearn",)),
    ("Natural language processing", "Machine learning & AI", "Machine learning", ("NLP",)),
    ("Large language models", "Machine learning & AI", "Machine learning", ("LLM", "LLMs", "GenAI")),
    ("Prompt engineering", "Machine learning & AI", "Large language models", ()),
    ("MLOps", "Machine learning & AI", "Machine learning", ()),
    ("Computer vision", "Machine learning & AI", "Machine learning", ()),
    # Cloud & infrastructure
    ("Kubernetes", "Cloud & infrastructure", None, ("k8s", "kube")),
    ("Docker", "Cloud & infrastructure", None, ("containers",)),
    ("AWS", "Cloud & infrastructure", None, ("Amazon Web Services",)),
    ("Google Cloud", "Cloud & infrastructure", None, ("GCP",)),
    ("Azure", "Cloud & infrastructure", None, ("Microsoft Azure",)),
    ("Terraform", "Cloud & infrastructure", None, ("infrastructure as code", "IaC")),
    ("Linux", "Cloud & infrastructure", None, ()),
    ("CI/CD", "Cloud & infrastructure", None, ("continuous integration", "GitHub Actions")),
    ("Observability", "Cloud & infrastructure", None, ("o11y", "monitoring")),
    ("Site reliability engineering", "Cloud & infrastructure", None, ("SRE",)),
    ("Application security", "Cloud & infrastructure", None, ("AppSec", "infosec")),
    # Databases
    ("PostgreSQL", "Databases", "SQL", ("Postgres", "psql", "pg")),
    ("MySQL", "Databases", "SQL", ("MariaDB",)),
    ("SQLite", "Databases", "SQL", ()),
    ("Redis", "Databases", None, ()),
    ("MongoDB", "Databases", None, ("Mongo",)),
    ("Elasticsearch", "Databases", None, ("OpenSearch",)),
    ("Query optimisation", "Databases", "SQL", ("query tuning", "query optimization")),
    ("Database design", "Databases", None, ("data modelling", "schema design")),
    # Design & UX
    ("UX research", "Design & UX", None, ("user research",)),
    ("UI design", "Design & UX", None, ("visual design",)),
    ("Figma", "Design & UX", "UI design", ()),
    ("Design systems", "Design & UX", "UI design", ()),
    ("Prototyping", "Design & UX", None, ()),
    ("Usability testing", "Design & UX", "UX research", ()),
    ("Information architecture", "Design & UX", None, ("IA",)),
    # Product & project management
    ("Product management", "Product & project management", None, ("PM",)),
    ("Product discovery", "Product & project management", "Product management", ()),
    ("Roadmapping", "Product & project management", "Product management", ("roadmaps",)),
    ("Agile", "Product & project management", None, ()),
    ("Scrum", "Product & project management", "Agile", ()),
    ("Kanban", "Product & project management", "Agile", ()),
    ("OKRs", "Product & project management", None, ("objectives and key results",)),
    ("Stakeholder management", "Product & project management", None, ()),
    ("Technical writing", "Product & project management", None, ("documentation", "docs")),
    # Leadership & people
    ("People management", "Leadership & people", None, ("line management",)),
    ("Hiring & interviewing", "Leadership & people", None, ("interviewing", "recruiting")),
    ("Giving feedback", "Leadership & people", None, ("feedback",)),
    ("Coaching", "Leadership & people", None, ()),
    ("Conflict resolution", "Leadership & people", None, ()),
    ("Onboarding", "Leadership & people", None, ()),
    ("Career development", "Leadership & people", None, ("career growth", "promotion")),
    # Communication & career
    ("Public speaking", "Communication & career", None, ("presentations", "talks")),
    ("Negotiation", "Communication & career", None, ("salary negotiation", "equity negotiation")),
    ("Business writing", "Communication & career", None, ("writing",)),
    ("Career change", "Communication & career", None, ("career switch",)),
    ("Time management", "Communication & career", None, ("productivity",)),
    ("Storytelling", "Communication & career", None, ()),
]

# Slugs that slugify() would mangle or make collide ("C#" → "c").
SKILL_SLUGS = {"C#": "csharp", "HTML & CSS": "html-css", "CI/CD": "ci-cd", "A/B testing": "ab-testing"}

# Each team leans on a few categories, so the skills people list look like their job.
TEAMS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "Platform",
        ("Cloud & infrastructure", "Databases", "Programming languages"),
        ("Platform engineer", "Site reliability engineer", "Staff engineer", "Infrastructure engineer"),
    ),
    (
        "Payments",
        ("Web development", "Databases", "Programming languages"),
        ("Backend engineer", "Senior backend engineer", "Engineering manager", "Tech lead"),
    ),
    (
        "Growth",
        ("Web development", "Data & analytics", "Product & project management"),
        ("Full-stack engineer", "Growth product manager", "Frontend engineer", "Growth analyst"),
    ),
    (
        "Data Science",
        ("Data & analytics", "Machine learning & AI", "Programming languages"),
        ("Data scientist", "Machine learning engineer", "Analytics engineer", "Senior data scientist"),
    ),
    (
        "Mobile",
        ("Programming languages", "Design & UX", "Web development"),
        ("iOS engineer", "Android engineer", "Mobile tech lead", "React Native engineer"),
    ),
    (
        "Design",
        ("Design & UX", "Product & project management", "Communication & career"),
        ("Product designer", "UX researcher", "Design lead", "Content designer"),
    ),
    (
        "People & Talent",
        ("Leadership & people", "Communication & career", "Product & project management"),
        ("People partner", "Talent acquisition lead", "L&D specialist", "Programme manager"),
    ),
    (
        "Customer Success",
        ("Communication & career", "Leadership & people", "Data & analytics"),
        ("Customer success manager", "Solutions engineer", "Support lead", "Account manager"),
    ),
]

LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "ta": "Tamil",
    "pt-BR": "Portuguese (Brazil)",
    "it": "Italian",
    "ja": "Japanese",
    "zh": "Chinese",
    "pl": "Polish",
    "nl": "Dutch",
}

# (IANA zone, share of people, cities, languages spoken there besides English, given names, family names)
PLACES: list[tuple[str, int, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (
        "Europe/London",
        20,
        ("London", "Manchester", "Edinburgh", "Bristol"),
        ("fr", "pl", "es"),
        (
            "Oliver",
            "Amelia",
            "Harry",
            "Isla",
            "George",
            "Ava",
            "Noah",
            "Freya",
            "Arjun",
            "Zara",
            "Callum",
            "Niamh",
        ),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Patel", "Walker", "Hughes", "Murray", "Evans"),
    ),
    (
        "Europe/Berlin",
        20,
        ("Berlin", "Munich", "Hamburg", "Amsterdam", "Warsaw"),
        ("de", "nl", "pl", "it"),
        (
            "Lukas",
            "Lena",
            "Jonas",
            "Mia",
            "Felix",
            "Hannah",
            "Finn",
            "Sofia",
            "Emil",
            "Marta",
            "Jan",
            "Clara",
        ),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "de Vries", "Kowalski", "Rossi", "Becker"),
    ),
    (
        "America/New_York",
        18,
        ("New York", "Boston", "Toronto", "Atlanta"),
        ("es", "fr", "pt-BR"),
        ("James", "Olivia", "Michael", "Emma", "Daniel", "Sophia", "Marcus", "Aaliyah", "Diego", "Grace"),
        ("Johnson", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Thompson", "Robinson", "Clark"),
    ),
    (
        "America/Los_Angeles",
        14,
        ("San Francisco", "Seattle", "Los Angeles", "Portland"),
        ("es", "zh", "ja"),
        ("Ethan", "Chloe", "Mateo", "Lily", "Kai", "Maya", "Wei", "Hana", "Lucas", "Camila"),
        ("Nguyen", "Kim", "Lopez", "Chen", "Wong", "Hernandez", "Park", "Tanaka", "Reyes", "Lee"),
    ),
    (
        "Asia/Kolkata",
        16,
        ("Bengaluru", "Pune", "Hyderabad", "Chennai", "Mumbai"),
        ("hi", "ta"),
        ("Aarav", "Priya", "Vihaan", "Ananya", "Rohan", "Diya", "Karthik", "Meera", "Aditya", "Kavya"),
        ("Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Krishnan", "Banerjee", "Kulkarni"),
    ),
    (
        "Australia/Sydney",
        12,
        ("Sydney", "Melbourne", "Brisbane", "Auckland"),
        ("zh", "it"),
        ("Jack", "Charlotte", "William", "Matilda", "Thomas", "Ruby", "Liam", "Zoe", "Lachlan", "Mei"),
        ("Wilson", "Anderson", "Thompson", "Ryan", "Kelly", "Campbell", "Li", "O'Brien", "Stewart"),
    ),
]

AVATAR_COLOURS = ("#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d7c0f", "#0a7d6b", "#57606a")

BIO_OPENERS = (
    "I joined {team} after a few years at a start-up and I still love the messy early questions.",
    "On {team} I mostly work on the parts nobody notices until they break.",
    "I've been in {team} for a while; ask me about the history of almost anything.",
    "Before {team} I taught at a bootcamp, so explaining things is my favourite part of the job.",
    "I moved into {team} from a completely different career and remember how it feels to be new.",
)
BIO_HELP_LINES = (
    "Happy to talk through **{skill}**, whether you are just starting or stuck on something gnarly.",
    "Bring me your **{skill}** questions: I'd rather spend 15 minutes now than have you stuck for a day.",
    "I can help with **{skill}**; come with a concrete example and we'll get far in half an hour.",
)
BIO_LEARNING_LINES = (
    "Currently learning {skill} — tips welcome.",
    "Trying to get better at {skill} this quarter.",
    "",
)

OFFER_NOTES = {
    1: ("I can point you to the resources that helped me.", "Happy to share what I read when I learned it."),
    2: ("I've done this a few times and remember the pitfalls.", "I can pair on small, concrete problems."),
    3: ("I use this every week; bring real code or a real question.", "Good for a hands-on review."),
    4: (
        "I can teach this in depth, from basics to the tricky parts.",
        "I've mentored several people on this.",
    ),
    5: ("I've been doing this for a decade and spoken about it.", "Ask me the hard questions."),
}
WANTED_NOTES = (
    "For a project starting next quarter.",
    "I keep hitting the same wall with this.",
    "Want to move towards this in my career.",
    "",
    "",
)
