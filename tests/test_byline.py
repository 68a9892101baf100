"""Authors as published: the byline's names cleaned of roles, outlets, handles and labels.

How a page's authors are found (JSON-LD, meta, printed bylines) is tested through
``clean_page`` in test_clean.py; these test ``clean_authors`` on bylines as written.
"""

import pytest

from pipelines.byline import clean_authors


@pytest.mark.parametrize("raw, expected", [
    (["By Jane Smith"], ["Jane Smith"]),
    (["Jane Smith and Tom Lee"], ["Jane Smith", "Tom Lee"]),
    (["By Jane Smith, Tom Lee & Ana Ruiz"], ["Jane Smith", "Tom Lee", "Ana Ruiz"]),
    (["Staff Reporter"], []),
    (["The Paper", "Jane Smith"], ["Jane Smith"]),
    (["Press Association", "PA"], []),
    (["Political Correspondent"], []),
    # A surname given as an initial keeps its full stop, as published; a byline's own does not.
    (["By Marta Ruiz C."], ["Marta Ruiz C."]),
    (["Tomas K. / AFP"], ["Tomas K."]),
    (["Words by Jane Smith."], ["Jane Smith"]),
    (["Propos recueillis par Marie Lenoir"], ["Marie Lenoir"]),  # an interview's byline
    (["The Wall Street Journal"], []),  # an outlet's name, alone
    (["NEWSROOM"], []),
])
def test_clean_authors(raw, expected):
    assert clean_authors(raw, outlet_name="The Paper") == expected


def test_guessed_names_must_be_full_names():
    assert clean_authors(["Follow"], full_names=True) == []
    assert clean_authors(["Ruth Adeyemi"], full_names=True) == ["Ruth Adeyemi"]


def test_names_in_scripts_without_capitals_are_names_and_run_together_phrases_are_not():
    assert clean_authors(["نورهان نبيل"], full_names=True) == ["نورهان نبيل"]
    assert clean_authors(["巫其倫"], full_names=True) == ["巫其倫"]
    assert clean_authors(["専門家プロファイル_笹木正明 職業就職アドバイザー"], full_names=True) == []


def test_a_place_degree_or_desk_beside_full_names_is_not_an_author():
    assert clean_authors(["Odile Brandt, Lisbon, Kai Marr"]) == ["Odile Brandt", "Kai Marr"]
    assert clean_authors(["Priya Lund, PhD"]) == ["Priya Lund"]
    assert clean_authors(["Ines Holm, Rafe Quill und Beno Stark, WDR"]) == ["Ines Holm", "Rafe Quill", "Beno Stark"]


def test_initials_are_not_a_company_suffix():
    # "S.A." after a company's name ends it; between a first name and a surname it is initials.
    assert clean_authors(["Nell Arkwright, Owen S.A. Pryce and Ida Voss, IWN"]) == [
        "Nell Arkwright", "Owen S.A. Pryce", "Ida Voss"]
    assert clean_authors(["Ferrovia Insular S.A."]) == []


def test_a_job_title_after_the_name_is_no_author():
    assert clean_authors(["Vera Holm, Senior Legal Analyst"]) == ["Vera Holm"]
    assert clean_authors(["Ansel Moor, Brand Marketing", "Tam Reyes, Isles Weekly Columnist"]) == ["Ansel Moor", "Tam Reyes"]
    # The employer after the title is the title's, not a second author.
    assert clean_authors(["Vera Holm, Vice President, Harbour Cloud"], full_names=True) == ["Vera Holm"]
    assert clean_authors(["Ines Moor, Head of Research, Isles Data Lab"], full_names=True) == ["Ines Moor"]


def test_outlets_agencies_labels_and_degrees_around_names():
    # After names, "The ..." or capitals where the names are not: the outlet.
    assert clean_authors(["Ruth Okafor, The Harbour Post"]) == ["Ruth Okafor"]
    assert clean_authors(["Ruth Okafor, Tam Reyes, ISLES TODAY"]) == ["Ruth Okafor", "Tam Reyes"]
    assert clean_authors(["RUTH OKAFOR"]) == ["RUTH OKAFOR"]  # a byline in capitals is still a name
    # An agency's initials, an agency or a police press office, a newsroom, a web address.
    assert clean_authors(["IWN"]) == [] and clean_authors(["Agencia Isleña"]) == []
    assert clean_authors(["Polizei Inselstadt"]) == [] and clean_authors(["Redação"]) == []
    assert clean_authors(["Zone Îles - radio-iles.ca"]) == []
    assert clean_authors(["KT"]) == ["KT"]  # a writer's initials
    # A link's label, a degree after the name, a label in another language before it.
    assert clean_authors(["See All Articles", "Update Profile"]) == []
    assert clean_authors(["Ines Moor MD", "Ansel Moor PhD"]) == ["Ines Moor", "Ansel Moor"]
    assert clean_authors(["Piše: P. Marić"]) == ["P. Marić"]


def test_a_surname_that_is_also_a_verb_is_kept():
    # "Said" as a surname is capitalised; "said" after a name is the verb of a quote line.
    assert clean_authors(["By Nadia Said"]) == ["Nadia Said"]
    assert clean_authors(["Nadia Okoro said"]) == ["Nadia Okoro"]


def test_the_role_or_outlet_after_a_name_whose_end_shows_is_not_the_name():
    # A name in capitals, then the role; a middle initial, then the role; plural roles.
    assert clean_authors(["ROSA ALVES AP Sports Writer"]) == ["ROSA ALVES"]
    assert clean_authors(["Tam B. Reyes Journal staff"]) == ["Tam B. Reyes"]
    assert clean_authors(["Ines Moor and Kai Lund, Times Staff Writers"]) == ["Ines Moor", "Kai Lund"]
    # A role alone, whose name's end does not show, is still no one.
    assert clean_authors(["Home Affairs Correspondent"]) == []
    # The outlet's name after the name, or "for" the outlet.
    sites = ({"isles courier"}, {"islescourier", "iwn"})
    assert clean_authors(["Ruth Okafor IWN", "Pia Serrat for IWN"], sites=sites) == ["Ruth Okafor", "Pia Serrat"]
    assert clean_authors(["From Oskar Lind"]) == ["Oskar Lind"]
    # A title's words ("Tales Of Harbours", a column "Like It Was") and a wire are no one's name.
    assert clean_authors(["Ruth Okafor | Tales Of Harbours", "Isles Wire", "Ines Moor- Like It Was"]) == ["Ruth Okafor"]


def test_a_cooperative_or_partnership_is_no_author():
    assert clean_authors(["Hafenladen eG", "Brandt & Sohn KG", "Kai Marr GbR"]) == []
