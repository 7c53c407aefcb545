from ui.questionnaire import render

render("vendor")
