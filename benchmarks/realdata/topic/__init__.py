"""Real news labelled for the watch's subject: see README.md and GUIDE.md."""
