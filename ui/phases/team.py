from ui.questionnaire import render

render("team")
