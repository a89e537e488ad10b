"""Thai-office helpers: the business calendar, Buddhist-era dates and the fiscal year."""
