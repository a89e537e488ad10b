"""What every service's pages share: one stylesheet and the Thai font it uses (`assets`)."""
