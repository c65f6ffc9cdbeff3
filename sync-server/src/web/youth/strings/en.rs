//! English, plain: short sentences, everyday words.

use super::Texts;

/// The form in English.
pub(super) const TEXTS: Texts = Texts {
    name: "English",
    title: "What do you think of us?",
    intro: [
        "We want to get better. So we ask you.",
        "It takes two minutes.",
        "You are anonymous. We do not know who you are.",
        "You can skip questions. The code works only once.",
    ],
    questions: [
        "Was it easy to get in touch with us?",
        "Did we listen to you?",
        "Did you get help? Or did you find out where to get help?",
        "Do you trust that what you tell us stays with us?",
        "All in all, how happy are you with us?",
    ],
    scale: [
        "No, not at all",
        "No, not much",
        "A little",
        "Yes, quite",
        "Yes, very",
    ],
    overall_scale: [
        "Very unhappy",
        "Unhappy",
        "In between",
        "Happy",
        "Very happy",
    ],
    skip: "Rather not answer",
    age_question: "How old are you?",
    ages: ["Under 13", "13 to 15", "16 to 18", "19 to 23", "Over 23"],
    age_skip: "Rather not say",
    text_question: "Anything you want to tell us?",
    text_hint: "Do not write names, phone numbers or anything else that shows who someone is.",
    send: "Send",
    found: "What you wrote could show who someone is. We marked it:",
    fix: "Replace what is marked",
    fixed: "We replaced it. Check it and press Send.",
    findings: [
        "an identity number",
        "a phone number",
        "an e-mail address",
        "a user name",
        "a name",
        "an address",
        "a date of birth",
        "a number plate",
    ],
    nothing: "You have not answered anything yet. Answer at least one question.",
    resend: "Something went wrong. Press Send once more.",
    thanks: [
        "Thank you!",
        "Your answer has been sent. You can close this page now.",
    ],
    refused: [
        "This code does not work",
        "Maybe the code was used before, is too old or has a typo. Each code works only once. Want to say something? Ask an outreach worker for a new card.",
    ],
    busy: [
        "Too many tries",
        "Wait a quarter of an hour. Then try again.",
    ],
    bad: ["Something is wrong with the form", "Go back and try again."],
    card_line: "What do you think of us? Answer anonymously. It takes two minutes.",
    card_scan: "Scan the code, or go to:",
    card_valid: "Works once, until {d}.",
};
