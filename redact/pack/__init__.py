"""The disclosure pack: deadlines, exemption register, letters, schedule, manifest."""
