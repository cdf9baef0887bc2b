"""Labelled sets for `embeddings_quality.py`, written by hand.

`SYNONYM_TOPICS`: search keywords grouped by the page that should target them, where the
keywords of one topic mostly share no word ("cheap flights", "budget airfare"): what a
keyword planner meets when it imports a keyword tool's export.

`ARTICLES`: short articles of one site in five subjects; `RELATED[slug]` are the articles
an editor would link from `slug` (same subject), so link suggestions can be scored by
precision at k.
"""

from __future__ import annotations

SYNONYM_TOPICS: dict[str, list[str]] = {
    "air travel": [
        "cheap flights",
        "budget airfare",
        "low cost plane tickets",
        "discount airline tickets",
        "last minute flight deals",
        "affordable air travel",
        "inexpensive airline fares",
        "bargain plane fares",
    ],
    "hotels": [
        "hotel booking",
        "places to stay downtown",
        "boutique inn reservation",
        "bed and breakfast rooms",
        "motel near the airport",
        "book accommodation",
        "overnight lodging",
        "guest house rooms",
    ],
    "weight loss": [
        "lose weight fast",
        "shed pounds",
        "fat burning diet",
        "slimming meal plan",
        "calorie deficit tips",
        "drop belly fat",
        "healthy weight reduction",
        "dieting for beginners",
    ],
    "dental care": [
        "dentist appointment",
        "tooth decay treatment",
        "cavity filling cost",
        "teeth cleaning",
        "gum disease symptoms",
        "orthodontist braces",
        "root canal",
        "oral hygiene routine",
    ],
    "car repair": [
        "auto mechanic",
        "vehicle maintenance",
        "engine repair shop",
        "brake pad replacement",
        "transmission service",
        "car garage",
        "automobile servicing",
        "fix check engine light",
    ],
    "home loans": [
        "mortgage rates",
        "home loan calculator",
        "refinance my house",
        "first time buyer loan",
        "property financing",
        "housing loan interest",
        "down payment assistance",
        "fixed rate mortgage",
    ],
    "pets": [
        "puppy training",
        "dog obedience classes",
        "house train a puppy",
        "canine behaviour",
        "teach a dog to sit",
        "leash training",
        "stop dog barking",
        "crate training",
    ],
    "coffee": [
        "espresso machine",
        "coffee maker",
        "barista at home",
        "cappuccino machine",
        "brew a latte",
        "bean to cup machine",
        "drip brewer",
        "moka pot",
    ],
    "jobs": [
        "job openings",
        "career opportunities",
        "employment listings",
        "hiring now",
        "work vacancies",
        "find a job",
        "recruitment agency",
        "job search tips",
    ],
    "sleep": [
        "insomnia remedies",
        "trouble sleeping",
        "cant fall asleep",
        "sleep disorder",
        "restless nights",
        "natural sleep aid",
        "melatonin dosage",
        "improve sleep quality",
    ],
    "gardening": [
        "grow vegetables",
        "vegetable patch",
        "planting tomatoes",
        "raised garden bed",
        "kitchen garden",
        "compost for plants",
        "seed starting",
        "organic gardening",
    ],
    "laptops": [
        "laptop deals",
        "notebook computer",
        "ultrabook",
        "portable computer for students",
        "gaming notebook",
        "chromebook",
        "thin and light pc",
        "macbook alternatives",
    ],
}

# (slug, title, primary keyword, text)
ARTICLES: list[tuple[str, str, str, str]] = [
    (
        "budget-airfare",
        "How to find budget airfare",
        "budget airfare",
        "Booking plane tickets early and comparing carriers keeps the fare low. Flexible "
        "dates, midweek departures and regional airports cut the ticket price. Set fare "
        "alerts and fly with a carry-on only to avoid baggage fees on low cost airlines.",
    ),
    (
        "airport-lounges",
        "Are airport lounges worth it",
        "airport lounge",
        "A lounge pass gives quiet seats, snacks and showers before a long-haul departure. "
        "Frequent flyers get access through their airline status or a premium credit card; "
        "occasional travellers can buy a day pass at the terminal.",
    ),
    (
        "jet-lag",
        "Beating jet lag after a long flight",
        "jet lag",
        "Crossing time zones upsets the body clock. Shift your bedtime before you fly, drink "
        "water on the plane, avoid alcohol in the cabin and get daylight on arrival at your "
        "destination.",
    ),
    (
        "carry-on-packing",
        "Packing a carry-on for a week",
        "carry-on packing",
        "Cabin baggage rules vary by carrier. Roll clothes, wear your heaviest shoes on board "
        "and keep liquids in a clear bag for the security check at the airport.",
    ),
    (
        "sourdough-starter",
        "Make a sourdough starter",
        "sourdough starter",
        "Mix flour and water, feed the culture every day and wait for wild yeast to bubble. "
        "A lively levain doubles within hours and smells pleasantly tangy before you bake.",
    ),
    (
        "baking-bread",
        "Baking crusty bread at home",
        "homemade bread",
        "Knead the dough, let it prove overnight in the fridge, then bake in a hot oven with "
        "steam for a golden crust and an open crumb. A cast iron pot traps the steam.",
    ),
    (
        "pizza-dough",
        "Neapolitan pizza dough",
        "pizza dough",
        "Use fine flour, little yeast and a long cold fermentation. Stretch the dough by hand "
        "and bake it on a very hot stone so the rim puffs and chars in minutes.",
    ),
    (
        "gluten-free-flour",
        "Baking with gluten-free flour",
        "gluten-free flour",
        "Rice, buckwheat and almond flours behave differently from wheat. Add psyllium husk "
        "or xanthan gum to bind loaves and cakes, and rest the batter before it goes in the "
        "oven.",
    ),
    (
        "puppy-training",
        "House training a puppy",
        "puppy training",
        "Take the young dog outside after meals and naps, praise it when it goes in the "
        "right place and keep a routine. A crate helps because dogs avoid soiling their den.",
    ),
    (
        "dog-barking",
        "Stop a dog barking at the door",
        "dog barking",
        "Barking at visitors is a canine alarm. Teach a quiet cue, reward calm behaviour with "
        "treats and practise with a friend ringing the bell until your pet settles.",
    ),
    (
        "leash-walking",
        "Loose leash walking",
        "leash training",
        "Stop when your hound pulls, reward it for walking beside you and keep sessions "
        "short. A harness gives more control than a collar while the pup learns.",
    ),
    (
        "cat-scratching",
        "Keep a kitten from scratching furniture",
        "cat scratching",
        "Scratching is natural feline behaviour. Offer a tall scratching post near the sofa, "
        "reward your kitten for using it and trim its claws every few weeks.",
    ),
    (
        "mortgage-rates",
        "How mortgage rates are set",
        "mortgage rates",
        "Lenders price a home loan from the central bank rate, your credit score and the "
        "deposit you bring. A larger down payment lowers the interest on the property.",
    ),
    (
        "refinancing",
        "When to refinance your house",
        "refinance",
        "Switching lenders pays when interest rates fall below your current deal. Count the "
        "arrangement fees and the early repayment charge before you remortgage.",
    ),
    (
        "first-home",
        "Buying your first home",
        "first home",
        "Save a deposit, get an agreement in principle from a bank and budget for legal fees "
        "and stamp duty before you make an offer on a property.",
    ),
    (
        "credit-score",
        "Improve your credit score",
        "credit score",
        "Pay every bill on time, keep card balances low and check your credit report for "
        "errors. Lenders reward a strong rating with cheaper borrowing.",
    ),
    (
        "insomnia",
        "Natural remedies for insomnia",
        "insomnia remedies",
        "Trouble falling asleep often follows late screens and caffeine. Keep a fixed "
        "bedtime, a dark cool bedroom and try relaxation before lights out.",
    ),
    (
        "melatonin",
        "Melatonin: dose and timing",
        "melatonin",
        "The hormone tells the brain it is night. A small dose an hour before bed helps "
        "shift workers and travellers reset their rest, and restless nights grow rarer.",
    ),
    (
        "napping",
        "How long should a nap be",
        "power nap",
        "A short afternoon doze of twenty minutes refreshes without grogginess; longer naps "
        "reach deep slumber and can spoil the night's rest.",
    ),
    (
        "snoring",
        "Why people snore",
        "snoring",
        "Snoring comes from a narrowed airway during slumber. Sleeping on your side, losing "
        "weight and avoiding alcohol at night often quieten it.",
    ),
]

SUBJECT = {
    "budget-airfare": "travel",
    "airport-lounges": "travel",
    "jet-lag": "travel",
    "carry-on-packing": "travel",
    "sourdough-starter": "baking",
    "baking-bread": "baking",
    "pizza-dough": "baking",
    "gluten-free-flour": "baking",
    "puppy-training": "pets",
    "dog-barking": "pets",
    "leash-walking": "pets",
    "cat-scratching": "pets",
    "mortgage-rates": "money",
    "refinancing": "money",
    "first-home": "money",
    "credit-score": "money",
    "insomnia": "sleep",
    "melatonin": "sleep",
    "napping": "sleep",
    "snoring": "sleep",
}
RELATED = {
    slug: {other for other, subject in SUBJECT.items() if subject == own and other != slug}
    for slug, own in SUBJECT.items()
}
