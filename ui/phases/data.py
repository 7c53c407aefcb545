from ui.questionnaire import render

render("data")
