"""Quality: why each item landed where it did (`briefing explain`), and how well the gate,
stories and sections do against labelled items (`briefing eval`)."""
