<?php
// A small stand-in for PHPMailer 2.0.4's mail transport, written for
// phpmailfix's tests: mailSend() and MailSend() have that release's
// shape; everything else is reduced to what sending through mail() needs.

class PHPMailer
{
    var $Version = "2.0.4";
    public $From = 'root@localhost';
    public $FromName = 'Root User';
    public $Sender = '';
    public $Subject = '';
    public $Body = '';
    public $UseSendmailOptions = true;
    protected $to = array();

    public function setFrom($address, $name = '', $auto = true)
    {
        $this->From = $address;
        $this->FromName = $name;
        if ($auto && empty($this->Sender)) {
            $this->Sender = $address;
        }
        return true;
    }

    public function addAddress($address)
    {
        $this->to[] = $address;
        return true;
    }

    public function send()
    {
        $header = 'From: ' . $this->FromName . ' <' . $this->From . ">\r\n";
        return $this->MailSend($header, $this->Body);
    }

    public static function validateAddress($address)
    {
        return false !== filter_var($address, FILTER_VALIDATE_EMAIL);
    }

    function MailSend($header, $body) // expect: phpmailer-empty-sender
    {
        $to = implode(', ', $this->to);
        if ($this->Sender != '' and strlen(ini_get('safe_mode')) < 1) {
            $params = sprintf("-oi -f %s", $this->Sender);
            $rt = @mail($to, $this->Subject, $body, $header, $params);
        } else {
            $rt = @mail($to, $this->Subject, $body, $header);
        }
        return $rt;
    }
}
